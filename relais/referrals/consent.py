"""The consent the professional confirms before sending: the wording is versioned, the version stored.

A new wording gets a new version key; old keys stay here so that stored versions keep their text.
"""

from django.utils.translation import gettext_lazy as _

WORDINGS = {
    "2026-03": _(
        "J’ai informé la personne que ses nom, prénom, moyen de contact, disponibilités, situation et le motif "
        "de l’orientation seront transmis à la structure qui propose ce service, qui pourra la contacter ; que "
        "ces informations seront effacées au plus tard quelques mois après la réponse ; et qu’elle peut à tout "
        "moment demander à les consulter ou les faire effacer. La personne est d’accord pour être orientée."
    ),
}
CURRENT = "2026-03"


def current_wording() -> str:
    return str(WORDINGS[CURRENT])
