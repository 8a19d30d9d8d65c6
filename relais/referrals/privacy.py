"""Minimum data at the edge: a light check for health details in free text, and attachment checks.

The reason and availability are free text: the form warns not to write health details, and this
check flags the obvious words (a warning the professional must acknowledge, not a filter: it
cannot catch everything and must not block a legitimate « prise en charge »). Attachments are at
most one small PDF, JPEG or PNG whose first bytes match its name (no disguised executable or HTML).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from relais.territories.text import normalize

# Word beginnings (accents and case removed) that name a health condition, care or disability.
HEALTH_STEMS = (
    "addict",
    "alcoolique",
    "alzheimer",
    "autis",
    "avc",
    "bipolaire",
    "cancer",
    "chimio",
    "depress",
    "diabet",
    "drogue",
    "enceinte",
    "epilep",
    "grossesse",
    "handicap",
    "hepatite",
    "hopital",
    "hospitalis",
    "maladie",
    "medicament",
    "psychiatr",
    "psychose",
    "psychotique",
    "schizophren",
    "seropositi",
    "sida",
    "suicid",
    "toxicoman",
    "tuberculose",
    "vih",
)
_WORD = re.compile(r"[a-z0-9]+")


def health_words(*texts: str) -> list[str]:
    """The health-related words found in the texts, as written (first few), e.g. ['diabète']."""
    found = []
    for text in texts:
        for original in re.findall(r"[\w’'-]+", text or ""):
            key = normalize(original)
            if any(word.startswith(HEALTH_STEMS) for word in _WORD.findall(key)):
                if original not in found:
                    found.append(original)
    return found[:5]


# --- attachments ----------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def check_attachment(upload) -> str:
    """The kind of an acceptable upload ('pdf', 'png', 'jpg'); ValidationError with the reason otherwise."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s Mo : 2 Mo au plus.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(
            _("Seuls les fichiers PDF, JPEG et PNG sont acceptés (reçu : « %(name)s »).") % {"name": upload.name[:80]},
            code="extension",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[kind]):
        raise ValidationError(
            _("Le contenu de « %(name)s » n’est pas un vrai fichier %(kind)s : il est refusé.")
            % {"name": upload.name[:80], "kind": kind.upper()},
            code="disguised",
        )
    return kind
