"""Control characters in what people and files write: refused at every entry point, neutralised on the way out.

A line break in a name ends up in an e-mail subject (Django refuses it: BadHeaderError, and the message is
not sent), a tab or a carriage return in a cell shifts a spreadsheet. So:

- single-line text (names, addresses, identifiers, CharField) accepts no control character at all: C0
  (U+0000–U+001F, including tab, line feed and carriage return), DEL, C1 (U+0080–U+009F), the Unicode line
  and paragraph separators, and lone surrogates;
- multi-line text (descriptions, conditions, TextField) accepts line breaks only: a line feed, or a carriage
  return followed by a line feed (what a browser sends from a text area);
- `one_line` turns any text, even old data stored before these checks, into a safe single line (e-mail
  subjects, headers).

The validators are on the model fields (relais.offer.models), which covers the partner forms and the admin
(ModelForm validation runs them); the offer import checks every cell with `control_character`.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_MULTI_LINE = re.compile(r"\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ANY_CONTROL_RUN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


def _name(char: str) -> str:
    names = {"\n": _("saut de ligne"), "\r": _("retour chariot"), "\t": _("tabulation")}
    return names.get(char, f"U+{ord(char):04X}")


def control_character(text: str, multiline: bool = False) -> str | None:
    """The name of the first control character `text` may not hold (None if it holds none)."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    return _name(found.group()) if found else None


def _check(value, multiline: bool) -> None:
    char = control_character(value, multiline) if isinstance(value, str) else None
    if char:
        message = (
            _("Caractère de contrôle interdit (%(char)s) : seuls les sauts de ligne sont admis dans ce texte.")
            if multiline
            else _("Caractère de contrôle interdit (%(char)s) : ce texte tient sur une seule ligne.")
        )
        raise ValidationError(message, code="control_character", params={"char": char})


def validate_single_line(value) -> None:
    _check(value, multiline=False)


def validate_multi_line(value) -> None:
    _check(value, multiline=True)


def one_line(text: str, max_length: int | None = None) -> str:
    """`text` on one line: every run of spaces and control characters becomes one space (e-mail subjects)."""
    line = _ANY_CONTROL_RUN.sub(" ", str(text)).strip()
    if max_length is not None and len(line) > max_length:
        line = line[: max_length - 1].rstrip() + "…"
    return line


# Spreadsheets take a cell starting with these for a formula (CSV injection): = + - @, and tab or carriage
# return before one of them. CSV exports write such text with a leading apostrophe, as OWASP advises; the
# import takes one apostrophe off again, so the data·inclusion round trip gives back the text exactly
# (docs/adr/0003-import-export.md). Text that starts with an apostrophe before one of these (or before another
# apostrophe) gets one more, so that taking one off is always right.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def csv_safe(text: str) -> str:
    """`text` as a CSV cell a spreadsheet will not run: a leading apostrophe when it could be read as a formula."""
    if text.startswith(FORMULA_TRIGGERS) or (text.startswith(_QUOTE) and text[1:2] in (*FORMULA_TRIGGERS, _QUOTE)):
        return _QUOTE + text
    return text


def from_csv_safe(cell: str) -> str:
    """The text `csv_safe` was given (a cell from another program, without the apostrophe, stays as it is)."""
    if cell.startswith(_QUOTE) and cell[1:2] in (*FORMULA_TRIGGERS, _QUOTE):
        return cell[1:]
    return cell


def validate_deliverable_email(value) -> None:
    """An address Django's mail can send to. `validate_email` accepts some international domains that the IDNA
    encoding refuses (« a@\u3002example.org »): the sending would then fail with a UnicodeError."""
    domain = str(value).rpartition("@")[2]
    try:
        domain.encode("idna")
    except UnicodeError:
        raise ValidationError(
            _("Le nom de domaine de cette adresse e-mail (après « @ ») n’est pas valide : vérifiez-le."),
            code="invalid",
        ) from None
