"""Import of partners from the CSV or XLSX files coordinators keep in Excel.

Three steps so the user sees everything before anything is written: `read_table` (bytes -> cells, with
a French refusal for files we cannot trust), `build_preview` (cells -> validated lines, duplicates
found), then `apply_import` (one transaction: all or nothing).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import (
    Civility,
    Contact,
    ContactRole,
    Organisation,
    OrganisationCategory,
    category_from_label,
)
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.text import plural, search_key
from clspd_desktop.domain.validation import validate_contact, validate_organisation
from clspd_desktop.errors import StorageError, UserError, ValidationError

MAX_ROWS = 20_000
MAX_BYTES = 50 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP's CSV injection triggers (and LF)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 15  # a title, a date, a blank merged band… the header is within the first lines


class ImportField(StrEnum):
    """A directory field a file column can feed; the label is also the export's column header."""

    ORG_NAME = "org_name"
    CATEGORY = "category"
    ORG_ADDRESS = "org_address"
    ORG_POSTAL_CODE = "org_postal_code"
    ORG_CITY = "org_city"
    ORG_PHONE = "org_phone"
    ORG_EMAIL = "org_email"
    CIVILITY = "civility"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FUNCTION = "function"
    EMAIL = "email"
    PHONE = "phone"
    ROLE = "role"

    @property
    def label(self) -> str:
        return FIELD_LABELS[self]


FIELD_LABELS: dict[ImportField, str] = {
    ImportField.ORG_NAME: "Organisation",
    ImportField.CATEGORY: "Catégorie",
    ImportField.ORG_ADDRESS: "Adresse",
    ImportField.ORG_POSTAL_CODE: "Code postal",
    ImportField.ORG_CITY: "Ville",
    ImportField.ORG_PHONE: "Téléphone de l'organisation",
    ImportField.ORG_EMAIL: "E-mail de l'organisation",
    ImportField.CIVILITY: "Civilité",
    ImportField.FIRST_NAME: "Prénom",
    ImportField.LAST_NAME: "Nom",
    ImportField.FUNCTION: "Fonction",
    ImportField.EMAIL: "E-mail",
    ImportField.PHONE: "Téléphone",
    ImportField.ROLE: "Rôle",
}
REQUIRED_FIELDS = (ImportField.ORG_NAME, ImportField.LAST_NAME)

_SYNONYMS: dict[ImportField, tuple[str, ...]] = {
    ImportField.ORG_NAME: (
        "organisation", "organisme", "structure", "institution", "partenaire", "organization", "etablissement",
        "nom de l organisation", "nom de la structure", "nom de l institution", "nom de l organisme",
        "raison sociale", "company", "organisation partenaire", "service",
    ),
    ImportField.CATEGORY: ("categorie", "category", "type", "type de structure", "type d organisation",
                           "categorie d organisation", "famille"),
    ImportField.ORG_ADDRESS: ("adresse", "address", "adresse postale", "rue", "voie"),
    ImportField.ORG_POSTAL_CODE: ("code postal", "cp", "postal code", "zip", "code"),
    ImportField.ORG_CITY: ("ville", "commune", "city", "localite"),
    ImportField.ORG_PHONE: (
        "telephone de l organisation", "telephone organisation", "tel organisation", "telephone structure",
        "tel structure", "telephone de la structure", "standard", "telephone du standard",
    ),
    ImportField.ORG_EMAIL: (
        "e mail de l organisation", "email de l organisation", "e mail organisation", "email organisation",
        "courriel organisation", "courriel de l organisation", "mail organisation", "mail structure",
        "courriel structure", "e mail structure", "email structure", "courriel de la structure",
    ),
    ImportField.CIVILITY: ("civilite", "civility", "titre de civilite", "title", "genre", "m mme"),
    ImportField.FIRST_NAME: ("prenom", "first name", "firstname", "given name", "prenom du referent"),
    ImportField.LAST_NAME: ("nom", "nom de famille", "last name", "lastname", "surname", "nom du referent",
                            "referent", "family name"),
    ImportField.FUNCTION: ("fonction", "poste", "qualite", "function", "job title", "titre", "grade"),
    ImportField.EMAIL: ("e mail", "email", "courriel", "mail", "adresse e mail", "adresse email",
                        "adresse mail", "adresse electronique", "e mail du referent", "courriel du referent",
                        "mel"),
    ImportField.PHONE: ("telephone", "tel", "portable", "mobile", "phone", "telephone du referent",
                        "numero de telephone", "tel portable", "telephone portable", "ligne directe"),
    ImportField.ROLE: ("role", "titulaire", "suppleant", "titulaire suppleant", "titulaire ou suppleant",
                       "role du referent", "qualite de membre"),
}


def header_key(text: str) -> str:
    """'Téléphone de l'organisation' -> 'telephone de l organisation': punctuation and accents ignored."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", search_key(text)).split())


_HEADER_INDEX: dict[str, ImportField] = {
    header_key(word): f for f, words in _SYNONYMS.items() for word in (*words, FIELD_LABELS[f])
}


# --- reading ---------------------------------------------------------------------------------------------
@dataclass
class RawTable:
    """Cells as read, before any mapping: `line_numbers[i]` is where `rows[i]` starts in the file."""

    source: Path
    headers: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    separator: str = ""
    # every non-empty line of the file, so the user can choose another header line than the one found
    records: list[list[str]] = field(default_factory=list)
    record_numbers: list[int] = field(default_factory=list)
    header_position: int = 0  # index in `records` of the header line

    @property
    def header_line(self) -> int:
        """The header's line number in the file (row number in Excel)."""
        return self.record_numbers[self.header_position] if self.record_numbers else 1

    def header_choices(self, limit: int = HEADER_SEARCH_ROWS) -> list[tuple[int, str]]:
        """The first lines as (position, « Ligne 3 : Organisation | Nom | … »), to choose the header line."""
        return [(position, f"Ligne {number} : " + " | ".join(c.strip() for c in cells if c.strip())[:90])
                for position, (number, cells) in enumerate(zip(self.record_numbers[:limit], self.records[:limit],
                                                               strict=True))]

    def with_header_at(self, position: int) -> RawTable:
        """The same file read with the line at `position` as its header (the lines above are ignored)."""
        return _table(self.source, self.records, self.record_numbers, self.kind, self.encoding, self.separator,
                      header_position=position)

    @property
    def description(self) -> str:
        """What was detected, in French, so the user can spot a wrong guess."""
        count = f"{len(self.rows)} ligne{'s' if len(self.rows) > 1 else ''} de données"
        if self.kind == "xlsx":
            return f"Classeur Excel (première feuille), {count}"
        separator = {";": "« ; »", ",": "« , »", "\t": "tabulation"}.get(self.separator, f"« {self.separator} »")
        return f"Fichier CSV, encodage {self.encoding}, séparateur {separator}, {count}"


def read_table(path: Path) -> RawTable:
    """Read the first sheet of an XLSX or a CSV file; raise UserError with a French reason otherwise."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UserError(f"Le fichier « {name} » est trop volumineux ({size // (1024 * 1024)} Mo) pour un "
                            f"annuaire : l'import accepte au plus {MAX_ROWS} lignes.")
        with open(path, "rb") as handle:
            data = handle.read()
    except PermissionError as exc:
        raise UserError(f"Impossible de lire « {name} » : accès refusé. Le fichier est peut-être ouvert dans "
                        "Excel ; fermez-le puis recommencez.", details=str(exc)) from exc
    except OSError as exc:
        raise UserError(f"Impossible de lire « {name} » : {exc.strerror or exc}.", details=str(exc)) from exc
    if not data.strip():
        raise UserError(f"Le fichier « {name} » est vide.")
    if data.startswith(_OLE_MAGIC):
        raise UserError(f"« {name} » est au format Excel 97-2003 (.xls), qui n'est pas pris en charge. "
                        "Dans Excel, choisissez « Enregistrer sous » au format .xlsx ou CSV, puis importez ce fichier.")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, data)
    if path.suffix.lower() in EXCEL_EXTENSIONS:
        raise UserError(f"« {name} » n'est pas un classeur Excel valide : le fichier est endommagé ou c'est un "
                        "autre type de fichier renommé en .xlsx.")
    return _read_csv(path, data)


def _not_a_table(name: str) -> UserError:
    return UserError(f"« {name} » n'est pas un tableau lisible (contenu binaire ou illisible). "
                     "Enregistrez votre liste au format CSV ou Excel (.xlsx), puis recommencez.")


def _decode(data: bytes) -> tuple[str, str]:
    """Strict UTF-8 first; otherwise each line falls back to Windows-1252 (files mixing both exist).

    Bytes that mean nothing in Windows-1252 become U+FFFD; the lines holding one are reported as errors.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Texte Unicode" export
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        label, data = "UTF-8 avec BOM", data[3:]
    else:
        label = "UTF-8"
    try:
        return data.decode("utf-8"), label
    except UnicodeDecodeError:
        pass
    lines, fallback, utf8 = [], False, False
    for raw in data.splitlines(keepends=True):
        try:
            lines.append(raw.decode("utf-8"))
            utf8 = utf8 or not raw.isascii()
        except UnicodeDecodeError:
            fallback = True
            lines.append(raw.decode("cp1252", errors="replace"))
    if fallback and utf8:
        return "".join(lines), "mixte UTF-8 / Windows-1252"
    return "".join(lines), "Windows-1252 (ANSI)"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 100 or sample.count("\ufffd") > len(sample) // 20


def _read_csv(path: Path, data: bytes) -> RawTable:
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise _not_a_table(path.name)
    lines = text.splitlines(keepends=True)
    first = 0
    forced = ""
    while first < len(lines) and not lines[first].strip():
        first += 1
    hint = lines[first].strip().lower() if first < len(lines) else ""
    if hint.startswith("sep=") and len(hint) == 5:  # Excel's own hint line
        forced = lines[first].strip()[4]
        first += 1
    body = "".join(lines[first:])
    if not body.strip():
        raise UserError(f"Le fichier « {path.name} » ne contient aucune ligne.")
    separator = forced or _guess_separator(body.splitlines()[:HEADER_SEARCH_ROWS])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    records: list[list[str]] = []
    numbers: list[int] = []
    try:
        previous_end = 0
        for record in reader:
            start = first + previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            records.append([_unquote_formula(cell) for cell in record])
            numbers.append(start)
            if len(records) > MAX_ROWS + 1:
                raise _too_many(path.name)
    except csv.Error as exc:
        raise UserError(f"Le fichier « {path.name} » est mal formé près de la ligne {first + reader.line_num} "
                        "(guillemet non fermé ?).", details=str(exc)) from exc
    return _table(path, records, numbers, "csv", encoding, separator)


def _guess_separator(first_lines: list[str]) -> str:
    """The candidate that splits a line into the most columns (quotes respected), over the first lines: a
    title above the header (« Annuaire du CLSPD ») has no separator at all."""
    best, best_count = ";", 1
    for candidate in (";", ",", "\t"):
        count = max((len(next(csv.reader([line], delimiter=candidate), [])) for line in first_lines), default=0)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _unquote_formula(cell: str) -> str:
    """Our exports prefix a formula trigger (after any spaces) with an apostrophe: undo it."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _too_many(name: str) -> UserError:
    return UserError(f"Le fichier « {name} » contient plus de {MAX_ROWS} lignes : c'est trop pour un annuaire "
                     "de partenaires. Vérifiez qu'il s'agit du bon fichier ou découpez-le.")


def _read_xlsx(path: Path, data: bytes) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException...)
        if isinstance(exc, zipfile.BadZipFile) or path.suffix.lower() in EXCEL_EXTENSIONS:
            raise UserError(f"« {path.name} » n'est pas un classeur Excel lisible : le fichier est peut-être "
                            "endommagé. Ouvrez-le dans Excel et enregistrez-le à nouveau.",
                            details=repr(exc)) from exc
        raise _not_a_table(path.name) from exc
    records: list[list[str]] = []
    numbers: list[int] = []
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            records.append(cells)
            numbers.append(number)
            if len(records) > MAX_ROWS + 1:
                raise _too_many(path.name)
    except UserError:
        raise
    except Exception as exc:
        raise UserError(f"La première feuille de « {path.name} » n'a pas pu être lue : le classeur est "
                        "peut-être endommagé.", details=repr(exc)) from exc
    finally:
        workbook.close()
    return _table(path, records, numbers, "xlsx")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def find_header_row(records: list[list[str]]) -> int:
    """The first line whose cells name at least two known columns (« Organisation », « Nom »…): titles and
    merged bands above the table (a single filled cell) are skipped. The first line when none does."""
    for position, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
        known = sum(1 for cell in cells if cell.strip() and header_key(cell) in _HEADER_INDEX)
        if known >= 2:
            return position
    return 0


def _table(path: Path, records: list[list[str]], numbers: list[int], kind: str, encoding: str = "",
           separator: str = "", header_position: int | None = None) -> RawTable:
    if not records:
        raise UserError(f"Le fichier « {path.name} » ne contient aucune ligne.")
    all_records, all_numbers = records, numbers
    position = find_header_row(records) if header_position is None else header_position
    records, numbers = records[position:], numbers[position:]
    if not records:
        raise UserError(f"La ligne choisie comme en-tête est au-delà de la fin de « {path.name} ».")
    headers = [h.strip() for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UserError(f"La première ligne de « {path.name} » est vide : elle doit contenir les noms des "
                        "colonnes (Organisation, Nom, Prénom, E-mail...).")
    data_like = [h for h in headers if "@" in h or re.fullmatch(r"[\d\s.+/-]{5,}", h)]
    if data_like and not any(header_key(h) in _HEADER_INDEX for h in headers):
        raise UserError(f"La première ligne de « {path.name} » contient des données (« {data_like[0]} ») au lieu "
                        "des noms des colonnes. Ajoutez une ligne d'en-têtes : Organisation, Nom, Prénom, "
                        "E-mail...")
    if len(records) == 1:
        if any(header_key(h) in _HEADER_INDEX for h in headers):
            raise UserError(f"Le fichier « {path.name} » ne contient que la ligne d'en-têtes, aucun partenaire.")
        raise UserError(f"Le fichier « {path.name} » ne contient qu'une seule ligne : il faut une ligne "
                        "d'en-têtes (Organisation, Nom, Prénom...) puis une ligne par référent.")
    return RawTable(source=path, headers=headers, rows=records[1:], line_numbers=numbers[1:], kind=kind,
                    encoding=encoding, separator=separator, records=all_records, record_numbers=all_numbers,
                    header_position=position)


# --- mapping ---------------------------------------------------------------------------------------------
Mapping = list[ImportField | None]  # one entry per file column


_ORG_WORDS = {"organisation", "organisme", "structure", "institution", "partenaire", "etablissement"}
_OTHER_FIELD_WORDS = {"adresse", "telephone", "tel", "mail", "email", "courriel", "ville", "code", "cp",
                      "categorie", "type", "referent", "contact", "prenom"}


def guess_mapping(headers: list[str]) -> Mapping:
    """Each column gets the field its header names (French or English); a field is used at most once.

    A header we do not know word for word but that speaks of the structure only ("Nom de l'établissement
    partenaire") is taken as the organisation name.
    """
    used: set[ImportField] = set()
    mapping: Mapping = []
    for header in headers:
        found = _HEADER_INDEX.get(header_key(header))
        if found in used:
            found = None
        if found:
            used.add(found)
        mapping.append(found)
    if ImportField.ORG_NAME not in used and len(headers) > 1:  # one column: the separator is wrong
        for index, header in enumerate(headers):
            words = set(header_key(header).split())
            if mapping[index] is None and words & _ORG_WORDS and not words & _OTHER_FIELD_WORDS:
                mapping[index] = ImportField.ORG_NAME
                break
    return mapping


def missing_required(mapping: Mapping) -> list[ImportField]:
    return [f for f in REQUIRED_FIELDS if f not in mapping]


def missing_message(table: RawTable, mapping: Mapping) -> str:
    """'' when the mapping is usable, else the French reason (with a hint when the separator looks wrong)."""
    missing = missing_required(mapping)
    if not missing:
        return ""
    names = " et ".join(f"« {f.label} »" for f in missing)
    plural = "s" if len(missing) > 1 else ""
    message = f"Colonne{plural} obligatoire{plural} introuvable{plural} : {names}."
    if table.kind == "csv" and len(table.headers) == 1:
        message += (" Le fichier ne semble avoir qu'une seule colonne : ses valeurs sont peut-être séparées "
                    "par un autre caractère que « ; », « , » ou une tabulation.")
    else:
        message += " Choisissez, pour chaque colonne du fichier, le champ qu'elle contient."
    return message


# --- preview ---------------------------------------------------------------------------------------------
class LineStatus(StrEnum):
    NEW = "new"
    ORG_ONLY = "org_only"
    DUPLICATE = "duplicate"
    ERROR = "error"


class DuplicateDecision(StrEnum):
    SKIP = "skip"
    MERGE = "merge"


@dataclass
class ImportLine:
    """One data line of the file, validated; `errors` and `warnings` are French, without the line number."""

    number: int
    organisation: Organisation
    contact: Contact | None
    status: LineStatus
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organisation_exists: bool = False
    existing_contact: Contact | None = None  # duplicate of a referent already in the database
    duplicate_of_line: int | None = None  # duplicate of an earlier line of the file
    decision: DuplicateDecision = DuplicateDecision.SKIP

    @property
    def status_label(self) -> str:
        if self.status is LineStatus.ERROR:
            return "Erreur : " + " ; ".join(self.errors)
        if self.status is LineStatus.DUPLICATE:
            return "Fusion" if self.decision is DuplicateDecision.MERGE else "Doublon ignoré"
        if self.status is LineStatus.ORG_ONLY:
            return "Organisation déjà présente" if self.organisation_exists else "Nouvelle organisation"
        return "Nouveau"

    @property
    def duplicate_reason(self) -> str:
        if self.existing_contact is not None:
            return f"déjà dans l'annuaire ({self.existing_contact.full_name})"
        if self.duplicate_of_line is not None:
            return f"même personne qu'à la ligne {self.duplicate_of_line}"
        return ""

    def messages(self) -> list[str]:
        return [f"Ligne {self.number} : {m}" for m in (*self.errors, *self.warnings)]


@dataclass
class ImportPreview:
    table: RawTable
    mapping: Mapping
    lines: list[ImportLine]

    def with_status(self, status: LineStatus) -> list[ImportLine]:
        return [line for line in self.lines if line.status is status]

    @property
    def errors(self) -> list[ImportLine]:
        return self.with_status(LineStatus.ERROR)

    @property
    def duplicates(self) -> list[ImportLine]:
        return self.with_status(LineStatus.DUPLICATE)

    def set_all_decisions(self, decision: DuplicateDecision) -> None:
        for line in self.duplicates:
            line.decision = decision

    def new_organisation_count(self) -> int:
        return len({search_key(line.organisation.name) for line in self.lines
                    if line.status is not LineStatus.ERROR and not line.organisation_exists})

    def counts(self) -> dict[str, int]:
        dups = self.duplicates
        merged = sum(1 for line in dups if line.decision is DuplicateDecision.MERGE)
        return {
            "organisations": self.new_organisation_count(),
            "new": len(self.with_status(LineStatus.NEW)),
            "merge": merged,
            "skip": len(dups) - merged,
            "errors": len(self.errors),
        }

    def has_work(self) -> bool:
        counts = self.counts()
        return counts["organisations"] + counts["new"] + counts["merge"] > 0

    def is_importable(self, skip_errors: bool) -> bool:
        return (skip_errors or not self.errors) and self.has_work()

    def summary_text(self) -> str:
        c = self.counts()
        return (f"{plural(c['new'], 'référent')} à créer, {plural(c['organisations'], 'organisation', feminine=True)} à créer, "
                f"{plural(c['merge'], 'doublon')} à fusionner, {plural(c['skip'], 'doublon ignoré', 'doublons ignorés')}, "
                f"{plural(c['errors'], 'ligne', feminine=True)} en erreur")


_CIVILITIES = {
    "m": Civility.MR, "mr": Civility.MR, "monsieur": Civility.MR, "mme": Civility.MRS, "madame": Civility.MRS,
    "mlle": Civility.MRS, "mademoiselle": Civility.MRS, "mrs": Civility.MRS, "ms": Civility.MRS,
}
_ROLES = {
    "titulaire": ContactRole.TITULAR, "t": ContactRole.TITULAR, "titular": ContactRole.TITULAR,
    "suppleant": ContactRole.SUBSTITUTE, "suppleante": ContactRole.SUBSTITUTE, "s": ContactRole.SUBSTITUTE,
    "substitute": ContactRole.SUBSTITUTE,
}


def _excel_lost_zero(value: str, length: int) -> str:
    """Excel turns '01 60 ...' into 160... and '01000' into 1000: put the leading zero back."""
    if value.isdigit() and len(value) == length - 1 and value[0] != "0":
        return "0" + value
    return value


def _cells(row: list[str], mapping: Mapping) -> dict[ImportField, str]:
    values = {f: "" for f in ImportField}
    for index, target in enumerate(mapping):
        if target is not None and index < len(row):
            values[target] = row[index].strip()
    return values


def _row_shape_error(row: list[str], width: int, separator: str) -> str:
    if width > 1 and len(row) == 1 and row[0].strip():
        shown = {";": "« ; »", ",": "« , »", "\t": "une tabulation"}.get(separator, separator)
        return (f"une seule colonne au lieu de {width} : les valeurs de cette ligne ne sont pas séparées "
                f"par {shown} comme l'en-tête")
    if any(cell.strip() for cell in row[width:]):
        return f"{len(row)} colonnes au lieu de {width} (séparateur ou guillemet en trop ?)"
    return ""


def _parse_line(number: int, row: list[str], table: RawTable, mapping: Mapping) -> ImportLine:
    values = _cells(row, mapping)
    errors: list[str] = []
    warnings: list[str] = []
    shape = _row_shape_error(row, len(table.headers), table.separator) if table.kind == "csv" else ""
    if shape:
        errors.append(shape)
    if any("\ufffd" in cell for cell in row):
        errors.append("caractère illisible (octet inconnu dans le fichier) : corrigez ce caractère dans le fichier")
    category = OrganisationCategory.OTHER
    if values[ImportField.CATEGORY]:
        found = category_from_label(values[ImportField.CATEGORY])
        if found is None:
            warnings.append(f"catégorie « {values[ImportField.CATEGORY]} » inconnue, classée dans "
                            f"« {OrganisationCategory.OTHER.label} »")
        category = found or OrganisationCategory.OTHER
    org = Organisation(
        name=values[ImportField.ORG_NAME], category=category, address=values[ImportField.ORG_ADDRESS],
        postal_code=_excel_lost_zero(values[ImportField.ORG_POSTAL_CODE], 5), city=values[ImportField.ORG_CITY],
        phone=_excel_lost_zero(values[ImportField.ORG_PHONE], 10), email=values[ImportField.ORG_EMAIL],
    )
    try:
        org = validate_organisation(org)
    except ValidationError as exc:
        errors.extend(_lower_first(m) if k == "name" else f"organisation : {_lower_first(m)}"
                      for k, m in exc.fields.items())
    contact: Contact | None = None
    person_given = any(values[f] for f in (ImportField.LAST_NAME, ImportField.FIRST_NAME, ImportField.EMAIL,
                                           ImportField.PHONE, ImportField.FUNCTION, ImportField.CIVILITY))
    if person_given:
        civility = Civility.NONE
        if values[ImportField.CIVILITY]:
            civility = _CIVILITIES.get(header_key(values[ImportField.CIVILITY]), Civility.NONE)
            if civility is Civility.NONE:
                warnings.append(f"civilité « {values[ImportField.CIVILITY]} » non reconnue, laissée vide")
        role = ContactRole.TITULAR
        if values[ImportField.ROLE]:
            found_role = _ROLES.get(header_key(values[ImportField.ROLE]))
            if found_role is None:
                warnings.append(f"rôle « {values[ImportField.ROLE]} » non reconnu, référent noté titulaire")
            role = found_role or ContactRole.TITULAR
        contact = Contact(
            last_name=values[ImportField.LAST_NAME], first_name=values[ImportField.FIRST_NAME], civility=civility,
            function=values[ImportField.FUNCTION], email=values[ImportField.EMAIL],
            phone=_excel_lost_zero(values[ImportField.PHONE], 10), role=role,
        )
        try:
            contact = validate_contact(contact)
        except ValidationError as exc:
            errors.extend(_lower_first(m) for m in exc.fields.values())
    status = LineStatus.ERROR if errors else (LineStatus.NEW if contact else LineStatus.ORG_ONLY)
    return ImportLine(number=number, organisation=org, contact=contact, status=status, errors=errors,
                      warnings=warnings)


def _lower_first(message: str) -> str:
    message = message.rstrip(".")
    return message[:1].lower() + message[1:]


def build_preview(store: Store, table: RawTable, mapping: Mapping) -> ImportPreview:
    """Validate every line and find duplicates, without writing anything."""
    if missing_message(table, mapping):
        raise UserError(missing_message(table, mapping))
    known_orgs = store.directory.organisation_name_index()
    lines: list[ImportLine] = []
    seen_emails: dict[str, int] = {}
    seen_names: dict[tuple[str, str, str], int] = {}
    for number, row in zip(table.line_numbers, table.rows, strict=True):
        line = _parse_line(number, row, table, mapping)
        lines.append(line)
        org_key = search_key(line.organisation.name)
        existing_org = known_orgs.get(org_key)
        line.organisation_exists = existing_org is not None
        if line.status is not LineStatus.NEW or line.contact is None:
            continue
        contact = line.contact
        duplicate = store.directory.find_contact_duplicate(
            contact.email, contact.last_name, contact.first_name, existing_org.id if existing_org else None)
        name_key = (org_key, search_key(contact.last_name), search_key(contact.first_name))
        if duplicate is not None:
            line.status, line.existing_contact = LineStatus.DUPLICATE, duplicate
        elif contact.email and contact.email.lower() in seen_emails:
            line.status, line.duplicate_of_line = LineStatus.DUPLICATE, seen_emails[contact.email.lower()]
        elif name_key in seen_names:
            line.status, line.duplicate_of_line = LineStatus.DUPLICATE, seen_names[name_key]
        else:
            if contact.email:
                seen_emails[contact.email.lower()] = number
            seen_names[name_key] = number
    return ImportPreview(table=table, mapping=mapping, lines=lines)


# --- applying --------------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    organisations_created: int = 0
    contacts_created: int = 0
    contacts_merged: int = 0
    duplicates_skipped: int = 0
    error_lines_skipped: int = 0

    def text(self) -> str:
        parts = [
            plural(self.organisations_created, "organisation créée", "organisations créées", feminine=True),
            plural(self.contacts_created, "référent créé", "référents créés"),
            f"{plural(self.contacts_merged, 'référent mis', 'référents mis')} à jour par fusion",
            plural(self.duplicates_skipped, "doublon ignoré", "doublons ignorés"),
        ]
        if self.error_lines_skipped:
            parts.append(plural(self.error_lines_skipped, "ligne en erreur ignorée", "lignes en erreur ignorées", feminine=True))
        return "Import terminé : " + ", ".join(parts) + "."


def merged(existing: Contact, incoming: Contact) -> Contact:
    """The existing referent updated with every non-empty value of the file; its organisation is kept."""
    updates = {
        name: getattr(incoming, name)
        for name in ("last_name", "first_name", "function", "email", "phone")
        if getattr(incoming, name)
    }
    if incoming.civility is not Civility.NONE:
        updates["civility"] = incoming.civility
    updates["role"] = incoming.role
    return replace(existing, **updates)


def apply_import(store: Store, preview: ImportPreview, *, skip_errors: bool = False) -> ImportSummary:
    """Write the preview in one transaction: either every line is applied, or nothing is."""
    errors = preview.errors
    if errors and not skip_errors:
        shown = "\n".join(f"Ligne {line.number} : {' ; '.join(line.errors)}" for line in errors[:10])
        more = f"\n… et {plural(len(errors) - 10, 'autre ligne', 'autres lignes', feminine=True)}." if len(errors) > 10 else ""
        raise UserError(f"Import refusé : {plural(len(errors), 'ligne', feminine=True)} en erreur. Corrigez le fichier, ou choisissez "
                        f"d'ignorer les lignes en erreur. Rien n'a été importé.\n{shown}{more}")
    summary = ImportSummary(error_lines_skipped=len(errors))
    try:
        with store.transaction():
            orgs = store.directory.organisation_name_index()
            created_by_line: dict[int, Contact] = {}
            for line in preview.lines:
                if line.status is LineStatus.ERROR:
                    continue
                key = search_key(line.organisation.name)
                org = orgs.get(key)
                if org is None:
                    org = store.directory.save_organisation(replace(line.organisation, id=None))
                    orgs[key] = org
                    summary.organisations_created += 1
                if line.contact is None:
                    continue
                if line.status is LineStatus.NEW:
                    contact = store.directory.save_contact(replace(line.contact, id=None, organisation_id=org.id))
                    created_by_line[line.number] = contact
                    summary.contacts_created += 1
                elif line.decision is DuplicateDecision.SKIP:
                    summary.duplicates_skipped += 1
                else:
                    if line.existing_contact is not None:
                        target = line.existing_contact
                    elif line.duplicate_of_line is not None:
                        target = created_by_line[line.duplicate_of_line]
                    else:  # a DUPLICATE line names either a referent or an earlier line (see the preview)
                        raise ValueError(f"line {line.number}: a duplicate of nothing")
                    target = store.directory.get_contact(saved_id(target.id)) or target
                    result = store.directory.save_contact(merged(target, line.contact))
                    if line.duplicate_of_line is not None:
                        created_by_line[line.duplicate_of_line] = result
                    summary.contacts_merged += 1
    except sqlite3.Error as exc:
        raise StorageError("L'import n'a pas pu être enregistré dans la base de données ; rien n'a été "
                           "importé.", details=str(exc)) from exc
    return summary
