"""The query mix the search benchmarks share: everyday words people type, in French and in English.

Imported by bench_search.py (in process) and bench_search_http.py (over HTTP), so that both measure
the same kind of searches."""

EVERYDAY_WORDS_FR = [
    "manger ce soir",
    "je dois quitter mon logement",
    "papiers",
    "CAF",
    "dettes",
    "violences conjugales",
    "permis de conduire",
    "je cherche du travail",
    "faire mon CV",
    "apprendre le français",
    "dormir ce soir",
    "aide alimentaire pour mes enfants",
    "je ne peux plus payer mon loyer",
    "besoin d'un médecin",
    "psychologue",
    "ordinateur pas cher",
    "garde d'enfants",
    "surendetement",
    "vêtements chauds",
    "titre de séjour",
    "formation",
    "isolement personne âgée",
    "démarches en ligne",
    "addiction alcool",
    "créer mon entreprise",
    "ordinateur",
    "je dors dans ma voiture",
]
EVERYDAY_WORDS_EN = [
    "I need food tonight",
    "I have to leave my home",
    "I need a doctor",
    "help with paperwork",
    "debts",
]
