import pytest

from relais.matching import lexicon_terms
from relais.matching.fuzzy import DeletionIndex, closest, edit_distance
from relais.matching.lexicon import THEMATIQUES, Lexicon, default_lexicon, expand, interpret, stem

T_HEBERG = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
T_MAINTIEN = "logement-hebergement--se-maintenir-dans-le-logement"
T_ALIM = "equipement-et-alimentation--alimentation"
T_DEMARCHES = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
T_DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
T_DETTES = "difficultes-financieres--situation-dendettement-surendettement"
T_VIOLENCE = "famille--surmonter-conflits-separation-violence"
T_PERMIS = "mobilite--preparer-un-permis"


def codes(text):
    return [m.thematique for m in interpret(text).matches]


def weights(text):
    return {m.thematique: m.weight for m in interpret(text).matches}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("je dois quitter mon logement", T_MAINTIEN),
        ("manger ce soir", T_ALIM),
        ("papiers", T_DEMARCHES),
        ("CAF", T_DROITS),
        ("dettes", T_DETTES),
        ("violences", T_VIOLENCE),
        ("permis", T_PERMIS),
        ("je dors dehors", T_HEBERG),
        ("restos du cœur", T_ALIM),
        ("sans-abri", T_HEBERG),
    ],
)
def test_everyday_words_of_the_issue_find_their_thematique(words, expected):
    assert expected in codes(words)


def test_the_strongest_thematique_comes_first():
    assert codes("je dois quitter mon logement")[0] == T_MAINTIEN
    assert codes("manger ce soir")[0] == T_ALIM


def test_leaving_ones_home_also_suggests_temporary_shelter_with_a_lower_weight():
    found = weights("je dois quitter mon logement")
    assert found[T_HEBERG] < found[T_MAINTIEN] == 1.0


def test_a_longer_phrase_hides_the_general_word_it_contains():
    # "quitter mon logement" hides "logement", which alone would bring the whole housing catégorie
    assert "logement-hebergement--acheter-un-logement" not in codes("je dois quitter mon logement")
    assert "logement-hebergement--acheter-un-logement" in codes("logement")


def test_accents_and_case_do_not_matter():
    assert codes("HEBERGEMENT D'URGENCE") == codes("hébergement d’urgence")
    assert codes("epicerie solidaire") == codes("Épicerie Solidaire")


@pytest.mark.parametrize(
    ("typed", "understood"),
    [("logment", "logement"), ("surendetement", "surendettement"), ("hébergment", "hebergement")],
)
def test_a_typo_is_corrected_and_reported(typed, understood):
    reading = interpret(typed)
    assert reading.matches
    assert (typed, understood) in reading.corrections


def test_an_ordinary_word_is_not_corrected_into_a_need():
    # "fait" is one letter from "faim" but is an ordinary word
    reading = interpret("j'ai fait une demande")
    assert T_ALIM not in [m.thematique for m in reading.matches]
    assert reading.corrections == ()


def test_words_outside_the_lexicon_are_reported_unknown():
    reading = interpret("licorne bleue")
    assert reading.matches == ()
    assert reading.unknown_words == ("licorne", "bleue")


def test_each_match_keeps_the_words_that_triggered_it():
    match = next(m for m in interpret("j'ai plus rien à manger").matches if m.thematique == T_ALIM)
    assert "manger" in match.words


def test_violence_and_nowhere_to_sleep_are_urgent_but_paperwork_is_not():
    assert interpret("violences conjugales").urgent
    assert interpret("dormir dehors ce soir").urgent
    assert interpret("idées noires").urgent
    assert not interpret("papiers").urgent


def test_the_labels_of_the_thematiques_are_understood_too():
    assert "sante--sante-mentale" in codes("santé mentale")
    assert "famille--garde-denfants" in codes("Garde d’enfants")


def test_every_target_of_the_lexicon_is_a_real_thematique():
    lex = default_lexicon()
    for entry in lex.entries:
        for code, weight in entry.targets:
            assert code in THEMATIQUES, (entry.phrase, code)
            assert 0 < weight <= 1


def test_every_alias_points_to_a_real_thematique():
    for alias, code in lexicon_terms.ALIASES.items():
        assert code in THEMATIQUES, alias


def test_the_lexicon_has_hundreds_of_phrases_covering_every_thematique():
    phrases = sum(len(row[0].split("|")) for row in lexicon_terms.TERMS)
    assert phrases >= 500
    covered = {code for entry in default_lexicon().entries for code, _ in entry.targets}
    assert covered == set(THEMATIQUES)


def test_an_unknown_target_in_the_terms_fails_loudly():
    with pytest.raises(ValueError):
        Lexicon(terms=[("mot", "nimporte-quoi", 1.0)], aliases={})


def test_suggestions_for_words_close_to_the_lexicon():
    assert T_ALIM in default_lexicon().suggest("alimentasion")
    assert T_HEBERG in default_lexicon().suggest("hebergment urgense")


def test_a_category_expands_to_its_thematiques():
    assert T_PERMIS in expand("mobilite")
    assert expand(T_PERMIS) == [T_PERMIS]


def test_stemming_is_the_same_for_singular_plural_feminine_and_infinitive():
    assert stem("expulsee") == stem("expulse") == stem("expulser") == stem("expulsees")
    assert stem("dettes") == stem("dette")


def test_edit_distance_counts_swaps_as_one():
    assert edit_distance("logement", "logement") == 0
    assert edit_distance("logment", "logement") == 1
    assert edit_distance("logemnet", "logement") == 1
    assert edit_distance("chat", "chien", limit=1) == 2


def test_deletion_index_finds_close_words_only():
    index = DeletionIndex(["logement", "hebergement", "alimentation"])
    assert index.lookup("logemen") == [(1, "logement")]
    assert index.lookup("hebregment") == [(2, "hebergement")]
    assert index.lookup("xyz") == []
    assert index.lookup("lgmnt") == []


def test_closest_ranks_names_by_similarity():
    assert closest("Villeurbane", ["Villeurbanne", "Vénissieux", "Lyon"])[0] == "Villeurbanne"


# --- fixes of the audit: function words, everyday words, urgent phrases ---------------------------

T_SANTE_MENTALE = "sante--sante-mentale"
T_VEHICULE = "mobilite--acceder-a-un-vehicule"
T_SPORT = "remobilisation--activites-sportives-et-culturelles"
T_ADDICTIONS = "sante--addictions"


def test_sleeping_in_ones_car_is_shelter_not_a_car_nor_dance_classes():
    found = interpret("je dors dans ma voiture")
    assert [m.thematique for m in found.matches] == [T_HEBERG]
    assert found.urgent and "shelter" in found.signals


def test_an_everyday_word_is_never_corrected_into_a_lexicon_word():
    found = interpret("mon copain me frappe")
    assert found.corrections == ()
    assert T_ADDICTIONS not in [m.thematique for m in found.matches]
    assert T_VIOLENCE in [m.thematique for m in found.matches]


@pytest.mark.parametrize(
    ("words", "thematique", "signal"),
    [
        ("je veux mourir", T_SANTE_MENTALE, "suicide"),
        ("je veux en finir", T_SANTE_MENTALE, "suicide"),
        ("il me bat", T_VIOLENCE, "violence"),
        ("je me sens en danger", T_VIOLENCE, "violence"),
        ("à la rue", T_HEBERG, "shelter"),
        ("mon copain me frappe", T_VIOLENCE, "violence"),
    ],
)
def test_urgent_phrases_are_understood_and_say_what_the_emergency_is(words, thematique, signal):
    found = interpret(words)
    assert found.matches[0].thematique == thematique
    assert found.urgent and signal in found.signals


def test_fixed_expressions_keep_their_function_words():
    assert not interpret("je veux finir ma formation").urgent  # "finir" is not "en finir"
    assert codes("12 rue Paul Bert") == []  # "rue" is not "à la rue"
    assert codes("je dors dans la rue") == [T_HEBERG]


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        ("manger ce soir", "tonight"),
        ("dormir cette nuit", "tonight"),
        ("à manger aujourd'hui", "today"),
        ("un médecin tout de suite", "now"),
        ("manger", None),
    ],
)
def test_words_of_time_give_a_signal(words, hint):
    from relais.matching.lexicon import time_hint

    assert time_hint(words) == hint
    assert ({"tonight", "today", "now"} & interpret(words).signals) == ({hint} if hint else set())


# --- English ------------------------------------------------------------------------------------


def english(words):
    from relais.matching.lexicon import lexicon_for

    return lexicon_for("en").interpret(words)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("I need food tonight", T_ALIM),
        ("I have to leave my home", T_MAINTIEN),
        ("I need a doctor", "sante--acces-aux-soins"),
        ("I'm homeless", T_HEBERG),
        ("I can't pay my rent", "logement-hebergement--reduire-les-impayes-de-loyer"),
        ("help with paperwork", T_DEMARCHES),
        ("debts", T_DETTES),
        ("learn French", "lecture-ecriture-calcul--maitriser-le-francais"),
        ("my husband hits me", T_VIOLENCE),
    ],
)
def test_everyday_english_finds_its_thematique(words, expected):
    found = english(words)
    assert found.matches[0].thematique == expected
    assert found.language == "en"


def test_english_urgent_words_and_time_give_the_same_signals():
    assert english("I want to die").signals == {"suicide"}
    assert {"tonight", "shelter"} <= english("nowhere to sleep tonight").signals


def test_french_words_on_the_english_page_are_read_by_the_french_lexicon_never_corrected_into_english():
    found = english("manger")  # one letter from "danger", an English entry
    assert [m.thematique for m in found.matches] == [T_ALIM]
    assert not found.urgent and found.corrections == ()
    assert english("CAF").matches[0].thematique == T_DEMARCHES
    assert english("I need a médecin").matches[0].thematique == "sante--acces-aux-soins"


def test_english_words_on_the_french_page_are_understood_too():
    from relais.matching.lexicon import lexicon_for

    found = lexicon_for("fr").interpret("I need food")
    assert found.matches[0].thematique == T_ALIM
    assert found.unknown_words == ()


def test_the_resident_buttons_mean_the_same_on_the_english_page():
    from relais.matching.forms import RESIDENT_NEEDS
    from relais.matching.lexicon import lexicon_for

    for _key, _label, _hint, _thematiques, words in RESIDENT_NEEDS:
        if words:
            french, english = lexicon_for("fr").interpret(words), lexicon_for("en").interpret(words)
            assert [m.thematique for m in english.matches] == [m.thematique for m in french.matches], words
            assert english.urgent == french.urgent and english.signals == french.signals
