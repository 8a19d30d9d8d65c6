"""Export of the offer in the data·inclusion v1 formats, streamed, and the XLSX template.

    export_json(stream)               {"structures": [...], "services": [...]}
    export_csv(directory)             structures.csv + services.csv (lists written as data·inclusion
                                      writes them in its CSV exports: ['a', 'b'])
    export_xlsx(path)                 sheets "structures", "services", a "notice" sheet, and a
                                      hidden "listes" sheet behind the drop-down lists
    export_template(path)             the same workbook, empty, for partners to fill in

Only published listings are exported (with their published structure), ordered by id. Records
re-import unchanged: export(import(file)) gives back the file's records (datainclusion.py).
"""

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

from data_inclusion.schema import v1
from django.utils.translation import gettext as _

from relais.offer.datainclusion import (
    DATE,
    DJANGO_MODELS,
    ENUMS,
    EXTENSION_FIELDS,
    FIELDS,
    KINDS,
    LIST,
    REQUIRED,
    SCHEMA_MODELS,
    SERVICES,
    SET,
    TEXT,
    Layout,
    schema_record,
    to_cell,
)
from relais.offer.models import Capacity
from relais.textinput import csv_safe

CHUNK = 2000
MAX_ROWS = 1048576  # the last row of a worksheet
# Columns a spreadsheet must keep as text (leading zeros of codes and phone numbers)
TEXT_COLUMNS = {"code_postal", "code_insee", "siret", "telephone", "id", "structure_id"}


def queryset(kind: str, *, source: str | None = None):
    qs = DJANGO_MODELS[kind].objects.visible() if kind == SERVICES else DJANGO_MODELS[kind].objects.published()
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("id")


def records(kind: str, *, extensions: bool = False, source: str | None = None):
    """Schema records (dicts, dates as date objects) of one kind, streamed from the database."""
    layout = Layout(kind, extensions)
    rows = queryset(kind, source=source).values_list(*layout.attnames).iterator(chunk_size=CHUNK)
    for row in rows:
        yield schema_record(layout, row)


def _json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def iter_json(*, extensions: bool = False, source: str | None = None):
    """The JSON export, as text pieces to write or stream."""
    yield "{"
    for index, kind in enumerate(KINDS):
        yield (",\n" if index else "\n") + json.dumps(kind) + ": ["
        first = True
        for record in records(kind, extensions=extensions, source=source):
            yield ("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False, default=_json_default)
            first = False
        yield "\n]" if not first else "]"
    yield "\n}\n"


def export_json(stream, **options):
    for piece in iter_json(**options):
        stream.write(piece)


def _csv_cell(layout: Layout, name: str, value):
    kind_ = layout.kind_of(name)
    value = to_cell(kind_, value, lists="python")
    if value is None:
        return ""
    if kind_ == TEXT and isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def iter_csv(kind: str, *, extensions: bool = False, source: str | None = None):
    """One CSV file (UTF-8, comma-separated, header = schema field names), as text pieces.

    RFC 4180: records end with CRLF, so that a field holding a line break of either kind (CR or LF)
    is quoted and read back as it was. Text a spreadsheet could run as a formula (starting with
    = + - @, tab or carriage return) gets a leading apostrophe (relais.textinput.csv_safe), which the
    import takes off again: the round trip gives back the same text (docs/adr/0003-import-export.md).
    """
    layout = Layout(kind, extensions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(layout.names)
    for count, record in enumerate(records(kind, extensions=extensions, source=source), start=1):
        writer.writerow([_csv_cell(layout, name, record[name]) for name in layout.names])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_csv(directory, **options) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = directory / f"{kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            for piece in iter_csv(kind, **options):
                stream.write(piece)
        paths.append(path)
    return paths


def export_csv_zip(stream, **options):
    """Both CSV files in one ZIP archive (what the web page offers for download)."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            with archive.open(f"{kind}.csv", "w", force_zip64=True) as member:
                for piece in iter_csv(kind, **options):
                    member.write(piece.encode("utf-8"))


# XLSX ------------------------------------------------------------------------------------------


# OOXML escapes characters XML cannot carry as _xHHHH_ (ECMA-376 Part 1, 22.9.2.19 ST_Xstring):
# a carriage return must travel as _x000D_ (XML readers turn a raw CR into LF), and an underscore
# that starts such a sequence in the text itself as _x005F_. Excel and LibreOffice decode both.
_OOXML_SEQUENCE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# Spreadsheets take text starting with these for a formula when it is typed or edited.
FORMULA_STARTS = ("=", "+", "-", "@")


def ooxml_escape(text: str) -> str:
    """Text as an XLSX cell must hold it so that any reader gives back `text` exactly."""
    if "_x" in text:
        text = _OOXML_SEQUENCE_START.sub("_x005F_", text)
    return text.replace("\r", "_x000D_")


def _xlsx_value(sheet, layout: Layout, name: str, value):
    """A cell value, or a cell when it needs a format: dates, and text a spreadsheet could take for a formula.

    Text is always stored as text (t="inlineStr", never a formula): text starting with = + - @ also gets
    Excel's quote prefix (the leading apostrophe), so that editing the cell keeps it text.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = to_cell(layout.kind_of(name), value, lists="comma")
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        value = ooxml_escape(ILLEGAL_CHARACTERS_RE.sub("", value))  # control characters cannot be stored
        if value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
            return cell
    return value


def export_xlsx(stream, *, extensions: bool = False, source: str | None = None, template: bool = False):
    """The workbook partners fill in: one sheet per kind, then the notice (fields and vocabularies)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    lists = _vocabulary_lists(extensions)
    for kind in KINDS:
        layout = Layout(kind, extensions)
        sheet = workbook.create_sheet(kind)
        sheet.freeze_panes = "A2"
        _add_drop_downs(sheet, kind, layout, lists)
        for index, name in enumerate(layout.names):
            letter = openpyxl.utils.get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = 18 if layout.kind_of(name) != DATE else 12
            if name in TEXT_COLUMNS:
                sheet.column_dimensions[letter].number_format = "@"  # keep leading zeros as typed
        header = []
        for name in layout.names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        if template:
            continue
        for record in records(kind, extensions=extensions, source=source):
            sheet.append([_xlsx_value(sheet, layout, name, record[name]) for name in layout.names])
    _notice(workbook.create_sheet("notice"), extensions, bold)
    _write_lists(workbook.create_sheet(LISTS_SHEET), lists)
    workbook.save(stream)


# Drop-down lists -------------------------------------------------------------------------------

LISTS_SHEET = "listes"  # hidden: the values the drop-down lists offer, one column per field


def _vocabulary_lists(extensions: bool) -> dict[str, list[str]]:
    """{field: allowed values} for every field with a vocabulary, in the order of the lists sheet."""
    lists = {}
    for kind in KINDS:
        for name, enum in ENUMS[kind].items():
            lists.setdefault(name, [member.value for member in enum])
    if extensions:
        lists["relais_capacity"] = list(Capacity.values)
    return lists


def _add_drop_downs(sheet, kind: str, layout: Layout, lists: dict) -> None:
    """A drop-down list on each vocabulary column, from row 2 down.

    A single value (type, frais…) must be one of the list: anything else is refused with a message.
    A list of values (thématiques, publics…) takes several values separated by commas: the drop-down
    helps to pick one, and the import checks the whole cell.
    """
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    names = list(lists)
    for index, name in enumerate(layout.names):
        if name not in lists:
            continue
        source_column = get_column_letter(names.index(name) + 1)
        source = f"{quote_sheetname(LISTS_SHEET)}!${source_column}$2:${source_column}${len(lists[name]) + 1}"
        several = layout.kind_of(name) in (SET, LIST)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showDropDown=False,  # (sic) False shows the in-cell arrow
            showErrorMessage=not several,
            errorStyle="stop",
            errorTitle=_("Valeur inconnue"),
            error=_("Choisissez une valeur de la liste (voir l’onglet « notice »)."),
            showInputMessage=True,
            promptTitle=name[:32],
            prompt=(
                _("Une ou plusieurs valeurs de la liste, séparées par des virgules.")
                if several
                else _("Une valeur de la liste.")
            ),
        )
        letter = get_column_letter(index + 1)
        validation.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.data_validations.append(validation)  # a write-only sheet has no add_data_validation


def _write_lists(sheet, lists: dict) -> None:
    sheet.sheet_state = "hidden"
    columns = list(lists.values())
    sheet.append(list(lists))
    for row in range(max(len(values) for values in columns)):
        sheet.append([values[row] if row < len(values) else None for values in columns])


def _field_help(model, name: str) -> str:
    info = model.model_fields[name]
    return (info.title or "") + (" — " if info.title and info.description else "") + (info.description or "")


def _notice(sheet, extensions: bool, bold):
    from openpyxl.cell import WriteOnlyCell

    def heading(text):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        sheet.append([cell])

    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 80
    heading(_("Comment remplir ce classeur (schéma data·inclusion v1)"))
    for line in (
        _("Une ligne par structure dans l’onglet « structures », une ligne par service dans « services »."),
        _("Chaque service indique l’identifiant de sa structure dans la colonne structure_id."),
        _("Identifiants : uniques, de la forme source--identifiant ; réimporter met à jour la même fiche."),
        _("Dates au format AAAA-MM-JJ. Listes : valeurs séparées par des virgules."),
        _("Horaires au format OpenStreetMap opening_hours, par exemple Mo-Fr 09:00-12:00,14:00-17:00."),
        _("Laissez vide une case inconnue. Les colonnes inconnues sont ignorées."),
    ):
        sheet.append([line])
    sheet.append([])
    for kind in KINDS:
        heading(_("Champs de l’onglet « {kind} »").format(kind=kind))
        sheet.append([_("champ"), _("obligatoire"), _("valeurs possibles"), _("description")])
        for name in FIELDS[kind]:
            enum = ENUMS[kind].get(name)
            allowed = _("voir la liste plus bas") if enum is not None else ""
            sheet.append(
                [
                    name,
                    _("oui") if name in REQUIRED[kind] else _("non"),
                    allowed,
                    _field_help(SCHEMA_MODELS[kind], name),
                ]
            )
        if extensions:
            for name in EXTENSION_FIELDS[kind]:
                allowed = ", ".join(Capacity.values) if name == "relais_capacity" else ""
                sheet.append([name, _("non"), allowed, _("champ propre à Relais")])
        sheet.append([])
    vocabularies = {
        "type": v1.TypeService,
        "thematiques": v1.Thematique,
        "frais": v1.Frais,
        "publics": v1.Public,
        "modes_accueil": v1.ModeAccueil,
        "modes_mobilisation": v1.ModeMobilisation,
        "mobilisable_par": v1.PersonneMobilisatrice,
        "reseaux_porteurs": v1.ReseauPorteur,
    }
    for name, enum in vocabularies.items():
        heading(_("Valeurs possibles de {field}").format(field=name))
        sheet.append([_("valeur"), "", _("libellé"), _("description")])
        for member in enum:
            sheet.append([member.value, "", member.label, member.description or ""])
        sheet.append([])


def export_template(stream, *, extensions: bool = False):
    export_xlsx(stream, extensions=extensions, template=True)
