"""Households run once at start-up so that every formula and parameter the engine uses is loaded.

Between them: a working single parent, a senior with a disabled partner and a baby, and an
expecting couple with another adult of the home and a declared benefit (the birth-grant
simulation, other familles, declared amounts). Invented, valid for any simulated month.
"""

WARM_UP_HOUSEHOLDS = [
    {
        "commune": "69383",
        "logement": {"statut": "locataire", "loyer": 550},
        "personnes": [
            {"id": "parent", "role": "demandeur", "age": 34, "situation": "salarie", "revenus": {"salaire_net": 1100}},
            {"id": "enfant1", "role": "enfant", "age": 12, "scolarite": "college"},
            {"id": "enfant2", "role": "enfant", "age": 16, "scolarite": "lycee"},
        ],
    },
    {
        "commune": "57463",
        "couple": "marie",
        "logement": {"statut": "locataire_hlm", "loyer": 420},
        "personnes": [
            {"id": "a", "role": "demandeur", "age": 67, "situation": "retraite", "revenus": {"retraite_nette": 700}},
            {"id": "b", "role": "conjoint", "age": 52, "taux_incapacite": 80, "revenus": {"chomage_net": 600}},
            {"id": "c", "role": "enfant", "age": 1},
        ],
    },
    {
        "commune": "69266",
        "couple": "pacse",
        "logement": {"statut": "locataire_meuble", "loyer": 480},
        "prestations_percues": {"aah": 900},
        "personnes": [
            {
                "id": "a",
                "role": "demandeur",
                "age": 29,
                "enceinte": True,
                "situation": "chomeur",
                "revenus": {"chomage_net": 850},
            },
            {"id": "b", "role": "conjoint", "age": 31, "taux_incapacite": 80},
            {"id": "c", "role": "autre", "age": 21, "situation": "salarie", "revenus": {"salaire_net": 300}},
        ],
    },
]
