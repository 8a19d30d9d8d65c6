import datetime as dt

import pytest
from django.utils import translation

from relais.matching import explain
from relais.matching.eligibility import Assessment
from relais.matching.tests.world import T
from relais.matching.types import UNKNOWN_OPENING, Constraints, NeedMatch, OpeningInfo, Reason, ServiceRecord, Status


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def service(**kw):
    base = dict(id="s", structure_id="st", structure_name="La Structure", name="N", modes_accueil=("en-presentiel",))
    base.update(kw)
    return ServiceRecord(**base)


@pytest.mark.parametrize(("km", "text"), [(0.004, "10 m"), (0.35, "350 m"), (1.24, "1,2 km"), (12.4, "12 km")])
def test_distances_are_written_the_french_way(km, text):
    assert explain.format_distance(km) == text


def test_the_need_line_names_the_thematiques_and_the_words():
    one = explain.need_line((NeedMatch(T["alim"], 1.0, ("manger",)),))
    assert one == "Répond à votre besoin : « Alimentation ». D’après vos mots : « manger »."
    two = explain.need_line((NeedMatch(T["alim"]), NeedMatch(T["habits"])))
    assert two == "Répond à vos besoins : « Alimentation », « Habillement »."


def test_the_eligibility_line_says_what_to_check_first():
    a = Assessment(
        Status.TO_CHECK, (Reason("zone", "Zone ok."),), (Reason("age_unknown", "Âge demandé : 18 à 25 ans."),)
    )
    assert explain.eligibility_line(a) == "À vérifier : Âge demandé : 18 à 25 ans."
    a = Assessment(Status.ELIGIBLE, (Reason("zone", "Zone ok."), Reason("publics_all", "Tous publics.")))
    assert explain.eligibility_line(a) == "Vous pouvez en bénéficier. Zone ok. Tous publics."


def test_unknown_hours_ask_to_call_before_going():
    assert explain.opening_line(UNKNOWN_OPENING).startswith("Horaires non renseignés")
    closed = OpeningInfo("closed", label="Fermé temporairement jusqu’au 20 mars", message="Travaux")
    assert explain.opening_line(closed) == "Fermé temporairement jusqu’au 20 mars. Travaux"


def test_the_mobilisation_line_lists_the_ways_in():
    s = service(
        modes_mobilisation=("utiliser-lien-mobilisation", "envoyer-un-courriel"),
        lien_mobilisation="https://exemple.org/demande",
        courriel="accueil@exemple.org",
        accepts_referrals=False,
        mobilisation_precisions="Prévoir un justificatif de domicile.",
    )
    assert explain.mobilisation_line(s, Constraints()) == (
        "Pour y accéder : faire la demande en ligne (https://exemple.org/demande) ou écrire à accueil@exemple.org. "
        "Prévoir un justificatif de domicile."
    )


def test_without_modes_the_contacts_are_used_then_the_structure_name():
    assert explain.mobilisation_line(service(telephone="115", accepts_referrals=False), Constraints()) == (
        "Pour y accéder : téléphoner au 115."
    )
    assert explain.mobilisation_line(service(accepts_referrals=False), Constraints()) == (
        "Pour y accéder : contactez la structure La Structure."
    )


def test_notes_cover_fees_waiting_lists_unverified_data_conditions_and_demo():
    s = service(
        frais="payant",
        frais_precisions="5 € par mois.",
        capacity="waiting_list",
        conditions_acces="Venir avec une pièce d’identité.",
        is_demo=True,
    )
    notes = explain.notes(s, Assessment(Status.ELIGIBLE), dt.date(2026, 3, 4), 180)
    assert notes == (
        "Liste d’attente.",
        "Payant. 5 € par mois.",
        "Informations jamais vérifiées : elles peuvent avoir changé.",
        "Conditions d’accès : Venir avec une pièce d’identité.",
        "Donnée de démonstration.",
    )


def test_the_resident_wording_speaks_to_the_person_without_professional_jargon():
    reserved = service(mobilisable_par=("professionnels",), telephone="04 00 00 00 00", accepts_referrals=True)
    pro = explain.mobilisation_line(reserved, Constraints(for_professional=True))
    plain = explain.mobilisation_line(reserved, Constraints(), plain=True)
    assert "Orientation possible par Relais" in pro
    assert "Relais" not in plain and "professionnel" in plain and "demandez-lui" in plain
    assert explain.need_line((NeedMatch(T["alim"], 1.0, ("manger",)),), plain=True) == (
        "Peut vous aider pour : « Alimentation ». Vous avez écrit : « manger »."
    )
    ok = Assessment(Status.ELIGIBLE, eligible_because=(Reason("zone", "Il accueille les habitants de Bron."),))
    assert explain.eligibility_line(ok, plain=True).startswith("Ce lieu peut vous accueillir.")
    check = Assessment(Status.TO_CHECK, to_check=(Reason("fees_unknown", "demandez si c’est gratuit."),))
    assert explain.eligibility_line(check, plain=True) == "Avant d’y aller, vérifiez : demandez si c’est gratuit."


def test_every_plain_reason_is_a_reason_the_engine_knows():
    from relais.matching.eligibility import REASON_CODES

    assert set(explain.PLAIN_REASONS) <= REASON_CODES


@pytest.mark.parametrize(
    ("hint", "open_then", "note"),
    [("tonight", True, "Ouvert ce soir ou cette nuit."), ("today", False, "Pas d’ouverture prévue aujourd’hui.")],
)
def test_the_window_note_says_whether_the_place_is_open_when_the_person_needs_it(hint, open_then, note):
    assert explain.window_note(hint, open_then) == note
    assert explain.window_note(hint, None) == ""
    assert explain.window_note(None, True) == ""
