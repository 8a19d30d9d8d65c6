"""The data·inclusion v1 vocabularies, taken from the `data-inclusion-schema` package."""

from data_inclusion.schema import v1

Categorie = v1.Categorie
Thematique = v1.Thematique
Public = v1.Public
Frais = v1.Frais
ModeAccueil = v1.ModeAccueil
ModeMobilisation = v1.ModeMobilisation
PersonneMobilisatrice = v1.PersonneMobilisatrice
TypeService = v1.TypeService
ReseauPorteur = v1.ReseauPorteur

# The name each vocabulary has in the data·inclusion API, under /api/v1/doc/<name>
BY_API_NAME = {
    "categories": Categorie,
    "thematiques": Thematique,
    "publics": Public,
    "frais": Frais,
    "modes-accueil": ModeAccueil,
    "modes-mobilisation": ModeMobilisation,
    "personnes-mobilisatrices": PersonneMobilisatrice,
    "types-services": TypeService,
    "reseaux-porteurs": ReseauPorteur,
}


def choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


def values(enum) -> set[str]:
    return {member.value for member in enum}


def label(enum, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def categorie_of(thematique: str) -> str:
    return thematique.split("--", 1)[0]


def thematiques_of(categorie: str) -> list:
    return [t for t in Thematique if t.value.startswith(categorie + "--")]
