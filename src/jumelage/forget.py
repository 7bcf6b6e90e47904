"""`jumelage forget EMAIL`: erase one person's personal data, keep the program's anonymous counts.

What happens, under the data-directory lock (no run can be in progress):

- **Warehouse.** The person's registration rows are deleted (so the nightly stages never
  re-derive them); their participant row keeps only what counts need (role, level, language,
  dates, status) under a pseudonym (``forgotten-<random>@forgotten.invalid``), marked
  ``removed``; their events, quarantined rows, superseded rows, proposals, relationships,
  flags, pair rules and outbox rows keep their place under that pseudonym, with names, free
  text and raw rows cleared. Their pending proposals are withdrawn and active relationships
  ended (reason ``forgotten``); messages to them not yet sent are cancelled (``failed``).
  Every other text cell that still names them (another person's ``manager_email``, an email
  body, a report sent to coordinators) has the address replaced by the pseudonym and the name
  by ``[effacé]``. The warehouse file is then rebuilt (``COPY FROM DATABASE``), so the erased
  values do not linger in free blocks of the file.
- **Files.** Archived versions of inbox files lose the person's rows (other cells naming
  them are pseudonymized); an archived file that cannot be parsed but holds the address is
  deleted. An inbox copy that was already read is deleted (its archived copy has been
  rewritten); one not read yet is rewritten. Reports (HTML, proposals CSV) are rewritten with
  the same replacements; ``.eml`` copies that mention them are deleted.
- **Record.** A ``forget_log`` row (migration 006: date, pseudonym, counts; never the
  address) says it was done.

Row numbers in the warehouse keep referring to the files as they were read; a rewritten
archived file has fewer rows than its ``files.rows_read``.
Warehouse copies set aside before a schema upgrade (``warehouse.duckdb.v<N>.bak``) are not
edited: they are listed, for the program office to delete once the upgrade is trusted.
"""

from __future__ import annotations

import csv
import html
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from jumelage import models, warehouse
from jumelage.config import InboxConfig
from jumelage.errors import JumelageError
from jumelage.ingest.columns import FormMap, understand
from jumelage.ingest.inbox import file_kind
from jumelage.ingest.reader import UnreadableFile, decode, read_csv, read_xlsx
from jumelage.lock import data_dir_lock
from jumelage.mail_in import inbound
from jumelage.notify import outbox
from jumelage.tables import flags, participants, proposals, relationships
from jumelage.validate import records

ERASED = "[effacé]"
REASON = "forgotten"


@dataclass
class ForgetResult:
    email: str
    pseudonym: str
    warehouse_rows: dict[str, int] = field(default_factory=dict)
    files_rewritten: list[str] = field(default_factory=list)
    files_deleted: list[str] = field(default_factory=list)
    backups_not_edited: list[str] = field(default_factory=list)
    proposals_withdrawn: int = 0
    relationships_ended: int = 0
    emails_cancelled: int = 0

    @property
    def found(self) -> bool:
        return bool(any(self.warehouse_rows.values()) or self.files_rewritten or self.files_deleted)

    def lines(self) -> list[str]:
        out = [f"{self.email}: erased, pseudonym {self.pseudonym}"]
        for table, n in sorted(self.warehouse_rows.items()):
            if n:
                out.append(f"  warehouse {table}: {n} row(s) erased or pseudonymized")
        if self.proposals_withdrawn:
            out.append(f"  {self.proposals_withdrawn} pending proposal(s) withdrawn")
        if self.relationships_ended:
            out.append(f"  {self.relationships_ended} active relationship(s) ended")
        if self.emails_cancelled:
            out.append(f"  {self.emails_cancelled} unsent email(s) cancelled")
        out += [f"  rewritten without them: {p}" for p in self.files_rewritten]
        out += [f"  deleted: {p}" for p in self.files_deleted]
        out += [
            f"  NOT edited (upgrade backup, delete it when no longer needed): {p}"
            for p in self.backups_not_edited
        ]
        return out


class _Scrubber:
    """Replace the address by the pseudonym and the person's names by [effacé] in text.

    A text that names them (address or full name) also loses their first name, last name and
    unit on their own, as whole words (a greeting, "X will write to you"): in such a text
    another person with the same first name is erased too, which errs on the safe side.
    """

    def __init__(self, email: str, pseudonym: str, names: set[str], words: set[str]) -> None:
        self.email = email
        self.pseudonym = pseudonym
        variants: set[str] = set()
        for name in names | words:
            if name.strip():
                variants |= {name, html.escape(name), html.escape(name, quote=False)}
        full = {v for v in variants if any(v in (n, html.escape(n)) for n in names)}
        self.needles = [email, *sorted(full, key=len, reverse=True)]
        self.regex = re.compile("|".join(re.escape(a) for a in self.needles), re.IGNORECASE)
        singles = sorted(variants - full, key=len, reverse=True)
        self.words = (
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in singles) + r")\b")
            if singles
            else None
        )

    def __call__(self, text: str) -> str:
        if not self.mentions(text):
            return text
        text = self.regex.sub(
            lambda m: self.pseudonym if m.group(0).lower() == self.email else ERASED, text
        )
        return self.words.sub(ERASED, text) if self.words else text

    def mentions(self, text: str) -> bool:
        return bool(self.regex.search(text))


def _names(con: duckdb.DuckDBPyConnection, email: str) -> tuple[set[str], set[str]]:
    """Their full names as written in messages, and the single words (first, last, unit)."""
    rows = models.relation(con, "forget/names_of", {"email": email}).fetchall()
    names: set[str] = set()
    words: set[str] = set()
    for first, last, unit in rows:
        first, last = (first or "").strip(), (last or "").strip()
        if first and last:
            names |= {f"{first} {last}", f"{last}, {first}", f"{last} {first}"}
        words |= {w for w in (first, last, (unit or "").strip()) if len(w) >= 2}
    return names, words


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return models.relation(con, "forget/text_columns").fetchall()


def _erase_warehouse(
    con: duckdb.DuckDBPyConnection, email: str, scrub: _Scrubber, day: date, result: ForgetResult
) -> None:
    p = scrub.pseudonym
    rows = result.warehouse_rows
    who = {"email": email}
    rows["registrations"] = models.execute(con, "forget/registrations", who)
    # every table but events, registrations and pair_rules is written by its owner
    rows["participants"] = participants.erase(con, email, pseudonym=p, day=day)
    result.proposals_withdrawn = proposals.erase(con, email, day=day, reason=REASON)
    result.relationships_ended = relationships.erase(con, email, day=day, reason=REASON)
    erased = outbox.erase(con, email, pseudonym=p, erased=ERASED)
    result.emails_cancelled = erased.cancelled
    rows["emails"] = erased.rows
    rows["events"] = models.execute(con, "forget/event_values", who)
    rows["quarantine"] = records.erase(con, email, pseudonym=p)
    rows["flags"] = flags.erase(con, email, detail=ERASED)
    rows["pair_rules"] = models.execute(con, "forget/pair_rules", who)
    rows["inbound_messages"] = inbound.erase(con, email, pseudonym=p)
    # Every remaining text cell that names them, in every table (also tables added later).
    # The one deliberate exception to "a table has one owner": erasure must reach every
    # table, those added after this code included, so this sweep writes them all by name
    # from the catalogue (tests/tables allow it, and only it).
    for table, column, dtype in _text_columns(con):
        cast = f'cast("{column}" as varchar)'
        where = " or ".join(f"{cast} ilike ?" for _ in scrub.needles)
        found = con.execute(
            f'select rowid, "{column}" from "{table}" where {where}',
            [f"%{n}%" for n in scrub.needles],
        ).fetchall()
        for rowid, value in found:
            if dtype == "VARCHAR[]":
                new: object = [scrub(v) if v is not None else v for v in value]
            else:
                new = scrub(value if isinstance(value, str) else str(value))
            target = "?::json" if dtype == "JSON" else "?"
            con.execute(f'update "{table}" set "{column}" = {target} where rowid = ?', [new, rowid])
        if found:
            rows[table] = rows.get(table, 0) + len(found)


def _rebuild(data_dir: Path) -> None:
    """Copy the warehouse into a fresh file, so erased values do not survive in free blocks."""
    path = data_dir / warehouse.WAREHOUSE_NAME
    fresh = path.with_name(path.name + ".forget")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("checkpoint")
        con.execute(f"attach '{fresh}' as fresh")
        ((name,),) = con.execute("select current_database()").fetchall()
        con.execute(f'copy from database "{name}" to fresh')
        con.execute("detach fresh")
    finally:
        con.close()
    fresh.replace(path)


# -- files ------------------------------------------------------------------------------------


def _rewrite_table(
    header: list[str],
    rows: list[list[str]],
    kind: str,
    email: str,
    scrub: _Scrubber,
    form: FormMap,
) -> tuple[list[list[str]], int]:
    """Their rows dropped (the email column found as the night finds it, form exports
    included), every other cell scrubbed."""
    subject = [c.index for c in understand(header, kind, form) if c.field == "email"]
    kept, dropped = [], 0
    for row in rows:
        if any(i < len(row) and row[i].strip().lower() == email for i in subject):
            dropped += 1
            continue
        kept.append([scrub(cell) for cell in row])
    return kept, dropped


def _rewrite_csv(path: Path, kind: str, email: str, scrub: _Scrubber, form: FormMap) -> bool:
    data = path.read_bytes()
    header, rows, encoding, separator = read_csv(data)
    kept, _ = _rewrite_table(header, rows, kind, email, scrub, form)
    newline = "\r\n" if b"\r\n" in data else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=newline)
    writer.writerow([scrub(h) for h in header])
    writer.writerows(kept)
    text = buffer.getvalue()
    if encoding in ("cp1252", "latin-1"):
        out = text.encode(encoding, errors="replace")
    else:
        out = text.encode(encoding)
    _atomic_write(path, out)
    return True


def _rewrite_xlsx(path: Path, kind: str, email: str, scrub: _Scrubber, form: FormMap) -> bool:
    import polars as pl

    header, rows = read_xlsx(path)
    kept, _ = _rewrite_table(header, rows, kind, email, scrub, form)
    names = [h or f"column_{i + 1}" for i, h in enumerate(header)]
    names = [n if names.index(n) == i else f"{n}_{i + 1}" for i, n in enumerate(names)]
    frame = pl.DataFrame(
        [dict(zip(names, r + [""] * (len(names) - len(r)), strict=False)) for r in kept] or None,
        schema=dict.fromkeys(names, pl.String),
    )
    tmp = path.with_name(path.name + ".forget.xlsx")
    frame.write_excel(tmp, autofit=False)
    tmp.replace(path)
    return True


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".forget")
    tmp.write_bytes(data)
    tmp.replace(path)


def _mentions_bytes(path: Path, scrub: _Scrubber) -> bool:
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        try:
            header, rows = read_xlsx(path)
        except UnreadableFile:
            return scrub.email.encode() in data.lower()
        return any(scrub.mentions(c) for r in [header, *rows] for c in r)
    text, _ = decode(data)
    return scrub.mentions(text)


def _inbox_name(path: Path) -> str:
    name = path.name
    if "-" in name and re.match(r"^[0-9a-f]{64}-", name):
        name = name[65:]
    return name


def _rewrite_data_file(path: Path, email: str, scrub: _Scrubber, inbox: InboxConfig) -> bool:
    """Rewrite an inbox/archived file without their rows; False when it cannot be parsed."""
    name = _inbox_name(path)
    kind = file_kind(name, inbox.files)
    if kind is None:
        return False
    form = FormMap.for_file(name, inbox.headers, inbox.files)
    try:
        if path.suffix.lower() == ".xlsx":
            return _rewrite_xlsx(path, kind, email, scrub, form)
        return _rewrite_csv(path, kind, email, scrub, form)
    except (UnreadableFile, UnicodeError, csv.Error, OSError, ValueError):
        return False


def _erase_files(
    data_dir: Path,
    email: str,
    scrub: _Scrubber,
    read_hashes: set[str],
    result: ForgetResult,
    inbox: InboxConfig,
) -> None:
    import hashlib

    archive = data_dir / "archive"
    for path in sorted(archive.glob("*")) if archive.is_dir() else []:
        if path.is_file() and _mentions_bytes(path, scrub):
            if _rewrite_data_file(path, email, scrub, inbox):
                result.files_rewritten.append(str(path.relative_to(data_dir)))
            else:
                path.unlink()
                result.files_deleted.append(str(path.relative_to(data_dir)))
    inbox = data_dir / "inbox"
    for path in sorted(inbox.glob("*")) if inbox.is_dir() else []:
        if not path.is_file() or not _mentions_bytes(path, scrub):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in read_hashes or not _rewrite_data_file(path, email, scrub, inbox):
            path.unlink()  # already read (its archived copy is rewritten) or unreadable
            result.files_deleted.append(str(path.relative_to(data_dir)))
        else:
            result.files_rewritten.append(str(path.relative_to(data_dir)))
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.parent.name in ("archive", "inbox"):
            continue
        if path.name.startswith(warehouse.WAREHOUSE_NAME) or path.name.startswith(".jumelage"):
            if ".bak" in path.name:
                result.backups_not_edited.append(str(path.relative_to(data_dir)))
            continue
        suffix = path.suffix.lower()
        if suffix in (".html", ".csv", ".txt", ".md", ".json"):
            try:
                text = path.read_text("utf-8")
            except UnicodeDecodeError:
                continue
            if scrub.mentions(text):
                _atomic_write(path, scrub(text).encode("utf-8"))
                result.files_rewritten.append(str(path.relative_to(data_dir)))
        elif suffix == ".xlsx" and path.parent.name == "reports":
            if _rewrite_workbook(path, scrub):
                result.files_rewritten.append(str(path.relative_to(data_dir)))
        elif suffix == ".eml" and _mentions_bytes(path, scrub):
            path.unlink()
            result.files_deleted.append(str(path.relative_to(data_dir)))


def _rewrite_workbook(path: Path, scrub: _Scrubber) -> bool:
    """A night's workbook (compressed: its bytes never show a name) with every text cell
    scrubbed; True when something changed."""
    import polars as pl

    from jumelage.report.workbook import write_sheets

    sheets = pl.read_excel(path, sheet_id=0)
    changed = False
    for name, frame in sheets.items():
        texts = [c for c, t in frame.schema.items() if t == pl.String]
        if any(scrub.mentions(v) for c in texts for v in frame[c].drop_nulls()):
            changed = True
            sheets[name] = frame.with_columns(
                pl.col(c).map_elements(scrub, return_dtype=pl.String) for c in texts
            )
    if changed:
        write_sheets(path, sheets)
    return changed


# -- the command --------------------------------------------------------------------------------


def forget(
    data_dir: Path, email: str, *, day: date | None = None, inbox: InboxConfig | None = None
) -> ForgetResult:
    """Erase `email`'s personal data from the warehouse and the files of `data_dir` (form
    exports read through `inbox`, the configuration's `[inbox]`)."""
    email = email.strip().lower()
    if "@" not in email or len(email) < 3:
        raise JumelageError(f"not an email address: {email!r}")
    day = day or date.today()
    pseudonym = f"forgotten-{secrets.token_hex(6)}@forgotten.invalid"
    result = ForgetResult(email, pseudonym)
    with data_dir_lock(data_dir):
        try:
            con = warehouse.connect(data_dir)
        except duckdb.IOException as exc:
            raise JumelageError(f"cannot open the warehouse in {data_dir}: {exc}") from None
        try:
            scrub = _Scrubber(email, pseudonym, *_names(con, email))
            read_hashes = records.file_hashes(con)
            with warehouse.transaction(con):
                _erase_warehouse(con, email, scrub, day, result)
            _erase_files(data_dir, email, scrub, read_hashes, result, inbox or InboxConfig())
            with warehouse.transaction(con):
                con.execute(
                    "insert into forget_log values (?, ?, ?, ?, ?, ?)",
                    [
                        day,
                        pseudonym,
                        warehouse.utcnow(),
                        sum(result.warehouse_rows.values()),
                        len(result.files_rewritten),
                        len(result.files_deleted),
                    ],
                )
        finally:
            con.close()
        _rebuild(data_dir)
    return result
