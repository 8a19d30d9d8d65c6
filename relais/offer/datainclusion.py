"""Mapping between our Structure/Service models and the data·inclusion v1 schema.

Every row read from a file is validated with the schema's own pydantic models
(`data_inclusion.schema.v1.Structure` / `Service`), then turned into the values our models store.
Export does the reverse. The two directions are exact inverses on canonical records:

- an absent value, an empty string and an empty list all mean "not given" and export as null;
- set-valued fields (thématiques, publics…) are stored and exported sorted;
- strings are kept as the partner wrote them (pydantic would add a trailing slash to URLs and
  lower-case e-mail domains: we validate with the schema but store the original text).

Relais fields that the schema lacks are exchanged only on request, under names prefixed with
`relais_` (docs/adr/0003-import-export.md).
"""

import datetime as dt
import difflib
import functools
import math
import re
import types
import typing
from dataclasses import dataclass

import pydantic
from data_inclusion.schema import v1
from django.db import models
from django.utils.translation import gettext as _

from relais.offer.models import Capacity, Service, Structure
from relais.textinput import control_character

STRUCTURES = "structures"
SERVICES = "services"
KINDS = (STRUCTURES, SERVICES)
EXTENSION_PREFIX = "relais_"

SCHEMA_MODELS = {STRUCTURES: v1.Structure, SERVICES: v1.Service}
DJANGO_MODELS = {STRUCTURES: Structure, SERVICES: Service}
VALIDATION_CONTEXT = {"ignore_warnings": True}

# Field kinds, derived from the schema's annotations
TEXT, ENUM, SET, LIST, DATE, FLOAT, INT, BOOL = "text", "enum", "set", "list", "date", "float", "int", "bool"

_ENHANCED_ENUM = v1.Frais.__mro__[1]  # data_inclusion.schema.base.EnhancedEnum

# Limits our database imposes and the schema does not
MAX_INT = 2_147_483_647


def _kind_of(annotation) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind_of(typing.get_args(annotation)[0])
    if origin is set:
        return SET
    if origin is list:
        return LIST
    if annotation is dt.date:
        return DATE
    if annotation is float:
        return FLOAT
    if annotation is int:
        return INT
    if isinstance(annotation, type) and issubclass(annotation, _ENHANCED_ENUM):
        return ENUM
    return TEXT


def _schema_fields(model) -> dict[str, str]:
    return {name: _kind_of(field.annotation) for name, field in model.model_fields.items()}


# Schema field name -> kind, in the schema's order (used for column order in exports)
FIELDS = {kind: _schema_fields(model) for kind, model in SCHEMA_MODELS.items()}
REQUIRED = {
    kind: {n for n, f in model.model_fields.items() if f.is_required()} for kind, model in SCHEMA_MODELS.items()
}


def _find_enum(annotation):
    """The vocabulary (EnhancedEnum) inside an annotation such as `set[Thematique] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, _ENHANCED_ENUM) and annotation is not _ENHANCED_ENUM:
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_enum(arg)
        if found is not None:
            return found
    return None


ENUMS = {
    kind: {name: enum for name, field in model.model_fields.items() if (enum := _find_enum(field.annotation))}
    for kind, model in SCHEMA_MODELS.items()
}


def _attname(kind: str, name: str) -> str:
    return "structure_id" if (kind == SERVICES and name == "structure_id") else name


# ---------------------------------------------------------------------------------------------
# Relais extensions, exchanged as relais_<field> when asked for
# ---------------------------------------------------------------------------------------------


def _french_bool(value):
    if isinstance(value, str) and value.strip().lower() in {"oui", "vrai"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"non", "faux"}:
        return False
    return value


FrenchBool = typing.Annotated[bool, pydantic.BeforeValidator(_french_bool)]
LanguageCode = typing.Annotated[str, pydantic.StringConstraints(pattern=r"^[a-z]{2,3}$")]


class StructureExtension(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")

    relais_last_verified_on: dt.date | None = None
    relais_is_demo: FrenchBool | None = None


class ServiceExtension(StructureExtension):
    relais_languages: list[LanguageCode] | None = None
    relais_step_free_access: FrenchBool | None = None
    relais_accessibility_details: str | None = None
    relais_capacity: typing.Literal[tuple(Capacity.values)] | None = None
    relais_full_until: dt.date | None = None
    relais_accepts_referrals: FrenchBool | None = None
    relais_age_min: typing.Annotated[int, pydantic.Field(ge=0, le=130)] | None = None
    relais_age_max: typing.Annotated[int, pydantic.Field(ge=0, le=130)] | None = None


EXTENSION_MODELS = {STRUCTURES: StructureExtension, SERVICES: ServiceExtension}
EXTENSION_FIELDS = {
    kind: {name: _kind_of(field.annotation) for name, field in model.model_fields.items()}
    for kind, model in EXTENSION_MODELS.items()
}
for _fields in EXTENSION_FIELDS.values():
    for _name in ("relais_is_demo", "relais_step_free_access", "relais_accepts_referrals"):
        if _name in _fields:
            _fields[_name] = BOOL
    if "relais_capacity" in _fields:
        _fields["relais_capacity"] = TEXT
# What an absent extension value means in our models
EXTENSION_DEFAULTS = {
    "is_demo": False,
    "accepts_referrals": True,
    "capacity": Capacity.ACCEPTING,
    "languages": [],
    "accessibility_details": "",
}


# ---------------------------------------------------------------------------------------------
# Columns: schema fields first, then extensions; stored as tuples in this order
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of record, with or without the Relais extensions."""

    kind: str
    extensions: bool

    @property
    def names(self) -> list[str]:
        names = list(FIELDS[self.kind])
        if self.extensions:
            names += list(EXTENSION_FIELDS[self.kind])
        return names

    @property
    def attnames(self) -> list[str]:
        return [model_attname(self.kind, name) for name in self.names]

    def kind_of(self, name: str) -> str | None:
        return FIELDS[self.kind].get(name) or (EXTENSION_FIELDS[self.kind].get(name) if self.extensions else None)


def model_attname(kind: str, name: str) -> str:
    if name.startswith(EXTENSION_PREFIX):
        return name[len(EXTENSION_PREFIX) :]
    return _attname(kind, name)


_MODEL_FIELDS = {kind: {f.attname: f for f in model._meta.concrete_fields} for kind, model in DJANGO_MODELS.items()}


def _db_empty(kind: str, attname: str):
    """What our model stores for "not given"."""
    if attname in EXTENSION_DEFAULTS:
        default = EXTENSION_DEFAULTS[attname]
        return list(default) if isinstance(default, list) else default
    field = _MODEL_FIELDS[kind][attname]
    if field.null:
        return None
    if field.get_internal_type() == "JSONField":
        return []
    return ""


# ---------------------------------------------------------------------------------------------
# Validation: raw row -> (database values, errors)
# ---------------------------------------------------------------------------------------------


@dataclass
class FieldError:
    field: str | None
    message: str


def _quote(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    return "« " + (text if len(text) <= 60 else text[:57] + "…") + " »"


def _enum_message(kind: str, field: str, value) -> str:
    enum = ENUMS[kind].get(field)
    message = _("valeur inconnue : {value}").format(value=_quote(value))
    if enum is not None and isinstance(value, str):
        close = difflib.get_close_matches(value, [m.value for m in enum], n=1, cutoff=0.6)
        if close:
            message += " ; " + _("vouliez-vous dire « {value} » ?").format(value=close[0])
    return message


_PATTERN_MESSAGES = {
    "code_postal": lambda: _("n’est pas un code postal (5 chiffres)"),
    "code_insee": lambda: _("n’est pas un code commune Insee (5 caractères)"),
    "siret": lambda: _("n’est pas un numéro SIRET (14 chiffres)"),
}


def _pydantic_message(kind: str, field: str, error: dict) -> str:  # noqa: C901 - one branch per error type
    etype = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if etype == "missing":
        return _("champ obligatoire manquant")
    if etype in ("string_type", "str_type"):
        return _("doit être du texte, pas {value}").format(value=_quote(value))
    if field in _PATTERN_MESSAGES and etype in ("string_pattern_mismatch", "string_too_short", "string_too_long"):
        return _PATTERN_MESSAGES[field]() + " : " + _quote(value)
    if etype == "string_too_short":
        return _("trop court : au moins {n} caractères").format(n=ctx.get("min_length"))
    if etype == "string_too_long":
        return _("trop long : au plus {n} caractères").format(n=ctx.get("max_length"))
    if etype == "string_pattern_mismatch":
        return _("format invalide : {value}").format(value=_quote(value))
    if etype == "enum" or etype == "literal_error":
        return _enum_message(kind, field, value)
    if etype.startswith("url_"):
        return _("n’est pas une adresse web (URL http ou https) : {value}").format(value=_quote(value))
    if etype == "value_error" and field == "courriel":
        return _("n’est pas une adresse électronique : {value}").format(value=_quote(value))
    if etype == "value_error" and field == "date_maj":
        # The schema's own validators already speak French
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if etype == "value_error" and field == "publics":
        return _("« tous-publics » ne peut pas être utilisé avec d’autres valeurs")
    if etype.startswith("date") or etype.startswith("datetime"):
        return _("n’est pas une date (AAAA-MM-JJ) : {value}").format(value=_quote(value))
    if etype in ("float_parsing", "float_type", "finite_number"):
        return _("doit être un nombre, pas {value}").format(value=_quote(value))
    if etype.startswith("int_"):
        return _("doit être un nombre entier, pas {value}").format(value=_quote(value))
    if etype.startswith("bool"):
        return _("doit valoir oui ou non, pas {value}").format(value=_quote(value))
    if etype == "greater_than_equal":
        return _("doit être supérieur ou égal à {n}").format(n=ctx.get("ge"))
    if etype == "less_than_equal":
        return _("doit être inférieur ou égal à {n}").format(n=ctx.get("le"))
    if etype in ("set_type", "list_type", "iterable_type", "frozen_set_type", "tuple_type"):
        return _("doit être une liste de valeurs, pas {value}").format(value=_quote(value))
    if etype == "too_short":
        return _("ne peut pas être une liste vide")
    if etype == "set_item_not_hashable":
        return _("contient une valeur invalide")
    return _("valeur invalide : {value}").format(value=_quote(value))


def french_errors(kind: str, exc: pydantic.ValidationError) -> list[FieldError]:
    """One French message per field (and list item), from a pydantic ValidationError."""
    errors: list[FieldError] = []
    seen: set[tuple] = set()
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        field = str(loc[0]) if loc else None
        item = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        if field == "zone_eligibilite" and item is not None:
            # A union of code formats: one message per bad code, not one per alternative
            key = (field, item)
            if key in seen:
                continue
            seen.add(key)
            message = _(
                "code {value} invalide : attendu un code commune, département, EPCI, pays ou « france »"
            ).format(value=_quote(error.get("input")))
        else:
            message = _pydantic_message(kind, field, error)
            key = (field, item, message)
            if key in seen:
                continue
            seen.add(key)
        errors.append(FieldError(field, message))
    return errors


@dataclass(frozen=True)
class _Column:
    name: str
    attname: str
    kind: str
    empty: object
    max_length: int | None
    multiline: bool  # a TextField (descriptions...): line breaks allowed, no other control character


class RowValidator:
    """Validates rows of one kind with the data·inclusion model, then our checks; compiled once.

    Calling it with a raw row (a dict from a file) gives (values, errors): `values` is a tuple in
    `Layout(kind, extensions).attnames` order, ready for our model, or None with French errors.
    """

    def __init__(self, kind: str, extensions: bool = False):
        self.kind = kind
        self.layout = Layout(kind, extensions)
        self.schema_model = SCHEMA_MODELS[kind]
        self.extension_model = EXTENSION_MODELS[kind] if extensions else None
        model_fields = _MODEL_FIELDS[kind]
        self.columns = []
        for name in self.layout.names:
            attname = model_attname(kind, name)
            field = model_fields[attname]
            max_length = field.max_length if name != "structure_id" else model_fields["id"].max_length
            multiline = isinstance(field, models.TextField)
            self.columns.append(
                _Column(name, attname, self.layout.kind_of(name), _db_empty(kind, attname), max_length, multiline)
            )
        self.schema_columns = [c for c in self.columns if not c.name.startswith(EXTENSION_PREFIX)]
        self.extension_columns = [c for c in self.columns if c.name.startswith(EXTENSION_PREFIX)]

    def __call__(self, raw) -> tuple[tuple | None, list[FieldError]]:
        if not isinstance(raw, dict):
            return None, [FieldError(None, _("la ligne n’est pas un objet (attendu des paires champ : valeur)"))]
        errors: list[FieldError] = []
        try:
            validated = self.schema_model.model_validate(raw, context=VALIDATION_CONTEXT)
        except pydantic.ValidationError as exc:
            validated = None
            errors.extend(french_errors(self.kind, exc))
        extension = None
        if self.extension_model is not None:
            try:
                extension = self.extension_model.model_validate(raw)
            except pydantic.ValidationError as exc:
                errors.extend(french_errors(self.kind, exc))
        if errors:
            return None, errors
        values = []
        for column in self.columns:
            value = getattr(extension if column.name.startswith(EXTENSION_PREFIX) else validated, column.name)
            if value is None or value == "":
                values.append(list(column.empty) if isinstance(column.empty, list) else column.empty)
                continue
            kind_ = column.kind
            if kind_ == TEXT:
                original = raw.get(column.name)
                if isinstance(original, str):
                    value = original  # the partner's own text, not pydantic's normalised URL or e-mail
                char = control_character(value, column.multiline)
                if char:
                    message = (
                        _("contient un caractère de contrôle ({char}) : seuls les sauts de ligne sont admis ici")
                        if column.multiline
                        else _("contient un caractère de contrôle ({char}) : ce champ tient sur une seule ligne")
                    )
                    errors.append(FieldError(column.name, message.format(char=char)))
                elif column.max_length and len(value) > column.max_length:
                    errors.append(
                        FieldError(column.name, _("trop long : au plus {n} caractères").format(n=column.max_length))
                    )
            elif kind_ == SET:
                value = sorted(str(v.value) for v in value) if value else column.empty
            elif kind_ == LIST:
                value = [str(v) for v in value] if value else column.empty
            elif kind_ == ENUM:
                value = str(value.value)
            elif kind_ == FLOAT:
                value = float(value)
                if not math.isfinite(value):
                    errors.append(FieldError(column.name, _("doit être un nombre fini")))
            elif kind_ == INT and value > MAX_INT:
                errors.append(FieldError(column.name, _("nombre trop grand")))
            values.append(value)
        record = dict(zip(self.layout.names, values, strict=True))
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = record.get(name)
            if value is not None and math.isfinite(value) and abs(value) > limit:
                errors.append(FieldError(name, _("doit être compris entre -{n} et {n}").format(n=limit)))
        for name in ("id", "source", "structure_id"):
            if name in record and isinstance(record[name], str) and not record[name].strip():
                errors.append(FieldError(name, _("ne peut pas être vide")))
        if errors:
            return None, errors
        return tuple(values), []


@functools.cache
def row_validator(kind: str, extensions: bool = False) -> RowValidator:
    return RowValidator(kind, extensions)


def validate_row(kind: str, raw, extensions: bool = False) -> tuple[dict | None, list[FieldError]]:
    """One row -> ({model attname: value}, []) or (None, errors)."""
    validator = row_validator(kind, extensions)
    values, errors = validator(raw)
    if values is None:
        return None, errors
    return dict(zip(validator.layout.attnames, values, strict=True)), []


def from_db(kind: str, name: str, kind_: str, value):
    """Our stored value -> the schema's value (None for "not given")."""
    if value is None:
        return None
    if kind_ in (TEXT, ENUM):
        return value or None
    if kind_ == SET:
        return sorted(value) if value else None
    if kind_ == LIST:
        return list(value) if value else None
    return value


TOUS_PUBLICS = "tous-publics"


def schema_publics(publics):
    """The publics as the schema accepts them: `tous-publics` stands alone.

    The schema refuses `tous-publics` with other values. Relais reads such a list exactly as
    "open to all" (matching's eligibility ignores the other values when `tous-publics` is there),
    so the export keeps the meaning by writing `tous-publics` alone (ADR 0003).
    """
    if publics and TOUS_PUBLICS in publics and len(publics) > 1:
        return [TOUS_PUBLICS]
    return publics


def schema_record(layout: Layout, row: tuple) -> dict:
    """A row of values_list(*layout.attnames) -> {schema field: value} (dates as date objects).

    Always a record the schema accepts, whatever is stored: see `schema_publics`.
    """
    record = {
        name: from_db(layout.kind, name, layout.kind_of(name), value)
        for name, value in zip(layout.names, row, strict=True)
    }
    if layout.kind == SERVICES and "publics" in record:
        record["publics"] = schema_publics(record["publics"])
    return record


# ---------------------------------------------------------------------------------------------
# Spreadsheet cells (CSV, XLSX) -> values the schema accepts
# ---------------------------------------------------------------------------------------------

_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def parse_list_cell(text: str):
    """A list written in a cell: JSON or Python style (['a', 'b']), PostgreSQL ({a,b}) or `a, b`."""
    text = text.strip()
    if not text:
        return None
    if (text[0], text[-1]) in (("[", "]"), ("{", "}")):
        text = text[1:-1]
    items = []
    for part in text.split(","):
        part = part.strip()
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"":
            part = part[1:-1].strip()
        if part:
            items.append(part)
    return items


def from_cell(kind_: str | None, name: str, value):
    """Turn a CSV string or an XLSX cell into what the schema expects for this field kind."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() == "" and kind_ != TEXT:
            return None
        if value == "":
            return None
    if kind_ in (SET, LIST):
        return parse_list_cell(value) if isinstance(value, str) else value
    if kind_ == DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str):
            match = _FRENCH_DATE.match(value.strip())
            if match:
                day, month, year = match.groups()
                return f"{year}-{int(month):02d}-{int(day):02d}"
            return value.strip()
        return value
    if kind_ in (FLOAT, INT):
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            return value.strip().replace(",", ".")
        return value
    if kind_ in (TEXT, ENUM):
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            text = str(value)
            # A spreadsheet drops the leading zero of a code typed as a number (01000 -> 1000)
            if name in ("code_postal", "code_insee") and len(text) < 5:
                text = text.zfill(5)
            return text
        if isinstance(value, float | dt.date | dt.time):
            return value.isoformat() if not isinstance(value, float) else repr(value)
        return value
    return value


def to_cell(kind_: str, value, *, lists: str):
    """A schema value -> a CSV string or XLSX cell. `lists` is "python" (data·inclusion CSV) or "comma"."""
    if value is None:
        return None
    if kind_ in (SET, LIST):
        if lists == "python":
            return "[" + ", ".join(f"'{v}'" for v in value) + "]"
        return ", ".join(value)
    return value
