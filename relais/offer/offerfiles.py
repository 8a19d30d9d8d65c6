"""Reading offer files in the data·inclusion v1 formats: JSON, CSV and the XLSX template.

Readers stream: a national file (hundreds of megabytes) is never held in memory whole. Each
reader yields `RawRow`s (which kind, which row as the partner sees it, the raw values) and
reports file-level problems (malformed file, unknown columns) through `issues`.

Row numbers: for CSV and XLSX the spreadsheet row, header included (the first record is row 2);
for JSON the position of the element in its list, from 1.
"""

import codecs
import csv
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from relais.offer.datainclusion import EXTENSION_PREFIX, KINDS, SERVICES, STRUCTURES, Layout, from_cell
from relais.textinput import from_csv_safe

logger = logging.getLogger(__name__)

FORMATS = ("json", "csv", "xlsx")
ROW, ELEMENT = gettext_noop("ligne"), gettext_noop("élément")  # translated when shown
CHUNK = 1 << 20
MAX_ZIP_MEMBER = 2 << 30


@dataclass
class Source:
    """One file to read: a name (for messages and format detection) and a way to open it."""

    name: str
    open: Callable[[], BinaryIO]
    error: str | None = None  # a file known to be unreadable (e.g. a broken archive)

    @property
    def format(self) -> str | None:
        suffix = Path(self.name).suffix.lower().lstrip(".")
        return suffix if suffix in FORMATS else None

    @property
    def kind_hint(self) -> str | None:
        stem = Path(self.name).stem.lower()
        if "service" in stem:
            return SERVICES
        if "structure" in stem:
            return STRUCTURES
        return None


@dataclass
class Issue:
    """An error or warning, naming the file, the kind, the row and the field when known."""

    message: str
    source: str | None = None
    kind: str | None = None
    row: int | None = None
    field: str | None = None
    label: str = ROW

    def __str__(self):
        parts = [p for p in (self.source, self.kind) if p]
        if self.row is not None:
            parts.append(f"{_(self.label)} {self.row}")
        if self.field:
            parts.append(self.field)
        prefix = ", ".join(parts)
        return f"{prefix} : {self.message}" if prefix else self.message


@dataclass
class RawRow:
    kind: str
    row: int
    label: str
    data: object
    source: str


@dataclass
class Issues:
    """File-level problems found while reading (errors stop the import, warnings do not)."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


class FileError(Exception):
    """A file that cannot be read further; the message is for the partner."""


# ---------------------------------------------------------------------------------------------
# Where the files come from: paths, directories, zip archives, uploads
# ---------------------------------------------------------------------------------------------


def sources_from_paths(paths) -> list[Source]:
    sources = []
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix.lower().lstrip(".") in (*FORMATS, "zip"):
                    sources.extend(sources_from_paths([child]))
        elif path.suffix.lower() == ".zip":
            sources.extend(_zip_sources(path.name, lambda p=path: p.open("rb"), owns_file=True))
        else:
            sources.append(Source(path.name, lambda p=path: p.open("rb")))
    return sources


def sources_from_uploads(files) -> list[Source]:
    """Uploaded files (Django UploadedFile); a ZIP upload stays open while its members are read."""
    sources = []
    for upload in files:

        def opener(u=upload):
            u.seek(0)
            return u

        if upload.name.lower().endswith(".zip"):
            sources.extend(_zip_sources(upload.name, opener, owns_file=False))
        else:
            sources.append(Source(upload.name, opener))
    return sources


def _zip_sources(name: str, opener, *, owns_file: bool) -> list[Source]:
    try:
        outer = opener()
        try:
            with zipfile.ZipFile(outer) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if not info.is_dir()
                    and not info.filename.startswith("__MACOSX")
                    and Path(info.filename).suffix.lower().lstrip(".") in FORMATS
                ]
        finally:
            if owns_file:
                outer.close()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return [_broken_source(name, _("archive ZIP illisible"))]
    sources = []
    for info in members:
        if info.file_size > MAX_ZIP_MEMBER:
            sources.append(_broken_source(f"{name}/{info.filename}", _("fichier trop gros dans l’archive")))
            continue

        def open_member(i=info):
            outer = opener()
            archive = zipfile.ZipFile(outer)
            closers = [archive, outer] if owns_file else [archive]
            if i.filename.lower().endswith(".xlsx"):
                # openpyxl needs to seek: load spreadsheets in memory (they are compressed anyway)
                data = io.BytesIO(archive.read(i))
                for closer in closers:
                    closer.close()
                return data
            member = archive.open(i)
            return io.BufferedReader(_Prefixed(b"", member, [member, *closers]))

        sources.append(Source(f"{name}/{Path(info.filename).name}", open_member))
    if not sources:
        sources.append(_broken_source(name, _("l’archive ne contient aucun fichier JSON, CSV ou XLSX")))
    return sources


def _broken(message):
    def opener():
        raise FileError(message)

    return opener


def _broken_source(name: str, message: str) -> Source:
    return Source(name, _broken(message), error=message)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_rows(source: Source, issues: Issues, extensions: bool) -> Iterator[RawRow]:
    """Every row of one source; a file that cannot be read adds an error and yields what it could."""
    if source.error:
        issues.errors.append(Issue(source.error, source=source.name))
        return
    try:
        if source.format is None:
            raise FileError(_("format non reconnu : attendu un fichier .json, .csv, .xlsx ou .zip"))
        stream = source.open()
        try:
            reader = {"json": _read_json, "csv": _read_csv, "xlsx": _read_xlsx}[source.format]
            yield from reader(source, stream, issues, extensions)
        finally:
            stream.close()
    except FileError as exc:
        issues.errors.append(Issue(str(exc), source=source.name))
    except FileNotFoundError:
        issues.errors.append(Issue(_("fichier introuvable"), source=source.name))
    except Exception:  # noqa: BLE001 - any unreadable file is the partner's error, never a crash
        logger.exception("Unreadable offer file %s", source.name)
        issues.errors.append(Issue(_("fichier illisible ou corrompu"), source=source.name))


class _Columns:
    """Known, extension and unknown columns of a sheet, with one warning per unknown column."""

    def __init__(self, kind: str, header: list, source: Source, issues: Issues, extensions: bool):
        self.layout = Layout(kind, extensions)
        self.names: list[str | None] = []
        self.kinds: list[str | None] = []
        ignored_extensions, unknown = [], []
        seen = set()
        for cell in header:
            name = str(cell).strip() if cell is not None else ""
            if name and name in seen:
                raise FileError(_("colonne « {name} » en double dans les {kind}").format(name=name, kind=kind))
            seen.add(name)
            field_kind = self.layout.kind_of(name) if name else None
            if field_kind is None and name:
                (ignored_extensions if name.startswith(EXTENSION_PREFIX) else unknown).append(name)
            self.names.append(name if field_kind else None)
            self.kinds.append(field_kind)
        _warn_columns(kind, source, issues, unknown, ignored_extensions)

    def row(self, cells) -> dict:
        data = {}
        for name, field_kind, cell in zip(self.names, self.kinds, cells, strict=False):
            if name is not None:
                value = from_cell(field_kind, name, cell)
                if value is not None:
                    data[name] = value
        return data


def _warn_columns(kind, source, issues, unknown, ignored_extensions):
    if unknown:
        issues.warnings.append(
            Issue(
                _("colonnes inconnues du schéma data·inclusion, ignorées : {names}").format(names=", ".join(unknown)),
                source=source.name,
                kind=kind,
            )
        )
    if ignored_extensions:
        issues.warnings.append(
            Issue(
                _(
                    "champs Relais ignorés (importez avec l’option extensions pour les prendre en compte) : {names}"
                ).format(names=", ".join(ignored_extensions)),
                source=source.name,
                kind=kind,
            )
        )


def _kind_from_header(source: Source, header) -> str:
    if source.kind_hint:
        return source.kind_hint
    names = {str(c).strip() for c in header if c is not None}
    return SERVICES if "structure_id" in names else STRUCTURES


# CSV ------------------------------------------------------------------------------------------


def _sniff_encoding(stream: BinaryIO) -> tuple[str, bytes]:
    head = stream.read(64 * 1024)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8-sig", head
    except UnicodeDecodeError:
        return "cp1252", head


class _Prefixed(io.RawIOBase):
    """A binary stream with some already-read bytes put back in front.

    Closing it closes `closers` (e.g. the archive a member comes from) but not `rest` when it
    belongs to someone else (an upload): only what the reader opened is closed.
    """

    def __init__(self, head: bytes, rest: BinaryIO, closers=()):
        self.head, self.rest, self.closers = head, rest, list(closers)

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            for closer in self.closers:
                closer.close()
        super().close()


def _read_csv(source: Source, stream: BinaryIO, issues: Issues, extensions: bool) -> Iterator[RawRow]:
    encoding, head = _sniff_encoding(stream)
    text = io.TextIOWrapper(io.BufferedReader(_Prefixed(head, stream)), encoding=encoding, newline="")
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    number = 1
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise FileError(_("fichier vide : la première ligne doit contenir les noms des champs"))
        header[0] = header[0].lstrip("\ufeff")
        kind = _kind_from_header(source, header)
        columns = _Columns(kind, header, source, issues, extensions)
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                issues.errors.append(
                    Issue(_("plus de valeurs que de colonnes"), source=source.name, kind=kind, row=number)
                )
                continue
            # A text cell our CSV export protected from spreadsheets ('=...) loses its apostrophe again.
            yield RawRow(kind, number, ROW, columns.row([from_csv_safe(cell) for cell in cells]), source.name)
    except UnicodeDecodeError as exc:
        raise FileError(
            _("caractères illisibles après la ligne {n} : enregistrez le fichier en UTF-8").format(n=number)
        ) from exc
    except csv.Error as exc:
        raise FileError(_("CSV mal formé après la ligne {n}").format(n=number)) from exc
    finally:
        text.close()


# XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(source: Source, stream: BinaryIO, issues: Issues, extensions: bool) -> Iterator[RawRow]:
    import openpyxl
    from openpyxl.utils.escape import unescape  # _x000D_ is a carriage return (OOXML), as Excel reads it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        # The same sheets again with their formulas: a formula cell is read as its cached value (or empty
        # when the workbook never computed it), and the partner is told so, row and column.
        formulas = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileError(_("classeur XLSX illisible : enregistrez-le au format Excel (.xlsx)")) from exc
    try:
        sheets = {name.strip().lower(): name for name in workbook.sheetnames}
        found = [kind for kind in KINDS if kind in sheets]
        if not found:
            raise FileError(_("onglets « structures » et « services » introuvables dans le classeur"))
        for kind in found:
            rows = workbook[sheets[kind]].iter_rows(values_only=True)
            formula_rows = formulas[sheets[kind]].iter_rows()
            header = next(rows, None)
            next(formula_rows, None)
            if not header or not any(h is not None and str(h).strip() for h in header):
                continue
            columns = _Columns(kind, list(header), source, issues, extensions)
            for number, cells in enumerate(rows, start=2):
                _warn_formulas(
                    next(formula_rows, ()), cells, columns, RawRow(kind, number, ROW, None, source.name), issues
                )
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                cells = [unescape(c) if isinstance(c, str) and "_x" in c else c for c in cells]
                yield RawRow(kind, number, ROW, columns.row(cells), source.name)
    finally:
        workbook.close()
        formulas.close()


def _warn_formulas(formula_cells, cells, columns: _Columns, where: RawRow, issues: Issues) -> None:
    """One warning per formula cell of a known column: which cell, which formula, what was imported."""
    from openpyxl.utils import get_column_letter  # lazy, as openpyxl itself (ADR 0009)

    for position, cell in enumerate(formula_cells):
        if getattr(cell, "data_type", None) != "f" or position >= len(columns.names) or not columns.names[position]:
            continue
        value = cells[position] if position < len(cells) else None
        reference = f"{get_column_letter(position + 1)}{where.row}"
        if value is None or value == "":
            message = _(
                "cellule {cell} : formule « {formula} » importée vide (le classeur n’a pas de valeur calculée) ; "
                "écrivez la valeur elle-même"
            )
        else:
            message = _(
                "cellule {cell} : formule « {formula} » importée comme sa valeur calculée « {value} » ; "
                "vérifiez-la ou écrivez la valeur elle-même"
            )
        issues.warnings.append(
            Issue(
                message.format(cell=reference, formula=str(cell.value)[:80], value=value),
                where.source,
                where.kind,
                where.row,
                columns.names[position],
            )
        )


# JSON -----------------------------------------------------------------------------------------


class _JsonStream:
    """Streams the elements of top-level lists with json's raw_decode, a buffer at a time."""

    WHITESPACE = " \t\n\r"

    def __init__(self, stream: BinaryIO):
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig")
        self.decoder = json.JSONDecoder()
        self.buf, self.pos, self.eof, self.lines_before = "", 0, False, 0

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self.text.read(CHUNK)
        if not data:
            self.eof = True
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos :] + data, 0
        return True

    def line(self, pos: int | None = None) -> int:
        return self.lines_before + self.buf.count("\n", 0, self.pos if pos is None else pos) + 1

    def error(self, message=None, pos=None) -> FileError:
        return FileError(
            _("JSON mal formé à la ligne {line}{detail}").format(
                line=self.line(pos), detail=f" : {message}" if message else ""
            )
        )

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in self.WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def expect(self, char: str):
        if self.peek() != char:
            raise self.error(_("« {char} » attendu").format(char=char))
        self.pos += 1

    def value(self):
        self.peek()
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                raise self.error(pos=exc.pos) from exc
            except RecursionError as exc:
                raise self.error(_("imbrication trop profonde")) from exc
            if end == len(self.buf) and self._fill():
                continue  # a number cut at the end of the buffer: read on and decode again
            self.pos = end
            return obj

    def items(self) -> Iterator[object]:
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                raise self.error(_("« , » ou « ] » attendu"))

    def end(self):
        if self.peek() != "":
            raise self.error(_("contenu inattendu après la fin des données"))


def _read_json(source: Source, stream: BinaryIO, issues: Issues, extensions: bool) -> Iterator[RawRow]:
    parser = _JsonStream(stream)
    seen_keys: dict[str, set] = {kind: set() for kind in KINDS}
    try:
        first = parser.peek()
        if first == "[":
            counts = dict.fromkeys(KINDS, 0)
            for item in parser.items():
                kind = source.kind_hint or (
                    SERVICES if isinstance(item, dict) and "structure_id" in item else STRUCTURES
                )
                counts[kind] += 1
                _note_keys(seen_keys[kind], item)
                yield RawRow(kind, counts[kind], ELEMENT, item, source.name)
        elif first == "{":
            parser.pos += 1
            while parser.peek() != "}":
                key = parser.value()
                if not isinstance(key, str):
                    raise parser.error(_("nom de clé attendu"))
                parser.expect(":")
                if key in KINDS:
                    if parser.peek() != "[":
                        raise FileError(_("« {key} » doit être une liste").format(key=key))
                    for number, item in enumerate(parser.items(), start=1):
                        _note_keys(seen_keys[key], item)
                        yield RawRow(key, number, ELEMENT, item, source.name)
                else:
                    parser.value()
                    issues.warnings.append(
                        Issue(_("clé « {key} » inconnue, ignorée").format(key=key[:60]), source=source.name)
                    )
                if parser.peek() == ",":
                    parser.pos += 1
                elif parser.peek() != "}":
                    raise parser.error(_("« , » ou « } » attendu"))
            parser.pos += 1
        elif first == "":
            raise FileError(_("fichier vide"))
        else:
            raise FileError(_('attendu une liste ou un objet {"structures": […], "services": […]}'))
        parser.end()
    except UnicodeDecodeError as exc:
        raise FileError(_("caractères illisibles : enregistrez le fichier en UTF-8")) from exc
    finally:
        parser.text.close()
        for kind in KINDS:
            layout = Layout(kind, extensions)
            unknown = sorted(k for k in seen_keys[kind] if layout.kind_of(k) is None)
            _warn_columns(
                kind,
                source,
                issues,
                [k for k in unknown if not k.startswith(EXTENSION_PREFIX)],
                [k for k in unknown if k.startswith(EXTENSION_PREFIX)],
            )


def _note_keys(seen: set, item):
    if isinstance(item, dict) and len(seen) < 200:
        seen.update(k for k in item if isinstance(k, str))
