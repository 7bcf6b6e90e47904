"""`jumelage inbox check FILE`: how one inbox file would be read, without writing or sending.

The file is read and validated exactly as the night would (same reader, same `[inbox]`
mapping, same suites). When a warehouse exists, it is copied into an in-memory DuckDB
(attached read only: the live file is never opened for writing); the file is recorded there as
the night would record it, participants are derived again, and the pending proposals are
checked with the same rules (`rules.check_pairs`) before and after: those that would break a
rule only after are the ones the correction would withdraw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from jumelage import models, rules, words
from jumelage.config import Config
from jumelage.ingest.columns import Column, FormMap, understand
from jumelage.ingest.inbox import InboxFile, file_kind
from jumelage.ingest.reader import RawTable, UnreadableFile, read_rows, read_table
from jumelage.ingest.stage import IngestedFile
from jumelage.tables import participants
from jumelage.validate import stage as validate_stage
from jumelage.validate.outcome import Validated
from jumelage.warehouse import WAREHOUSE_NAME, migrate, transaction

#: Exit codes: the file would go in cleanly, rows would be quarantined, it cannot be read.
CLEAN, QUARANTINE, UNREADABLE = 0, 1, 2
FIRST_REASONS = 5
SNAPSHOT = Path("snapshot") / WAREHOUSE_NAME
#: What a registration row is, beyond where it sits in the file.
_POSITION = ("row_number", "file_sha256", "file_name")
#: The accepted rows a file version gave, by kind of file.
_VERSION_ROWS = {
    "registrations": "inbox_check/version_registrations",
    "events": "inbox_check/version_events",
}


@dataclass
class Correction:
    """What recording the file would change in the warehouse."""

    previous: str | None  # sha256 of the current version under this name, if any
    unchanged: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)


def _say(lang: str) -> Callable[..., str]:
    return lambda code, **values: words.say(lang, "inbox_check", code, **values)


def _column_line(say: Callable[..., str], lang: str, column: Column) -> str:
    name = words.say(lang, "field", column.field or column.names or "file")
    return say(f"column_{column.source}", header=column.header, field=name)


def _registration_key(row: dict[str, Any]) -> str:
    return f"{row['email']} ({row['role']})"


def _event_key(row: dict[str, Any]) -> str:
    parts = ("event_date", "event_type", "email", "counterpart_email", "proposal_id", "value")
    return " · ".join(str(row[p]) for p in parts if row.get(p) not in (None, ""))


def _rows_diff(
    before: pl.DataFrame, after: pl.DataFrame, kind: str, correction: Correction
) -> None:
    """Rows added, removed and changed between two versions of one file."""
    if kind != "registrations":
        old = {_event_key(r) for r in before.iter_rows(named=True)}
        new = {_event_key(r) for r in after.iter_rows(named=True)}
        correction.added, correction.removed = sorted(new - old), sorted(old - new)
        return
    compared = [c for c in after.columns if c not in _POSITION and c in before.columns]
    old = {_registration_key(r): r for r in before.select(compared).iter_rows(named=True)}
    new = {_registration_key(r): r for r in after.select(compared).iter_rows(named=True)}
    correction.added = sorted(new.keys() - old.keys())
    correction.removed = sorted(old.keys() - new.keys())
    for key in sorted(new.keys() & old.keys()):
        fields = [c for c in compared if _plain(old[key][c]) != _plain(new[key][c])]
        if fields:
            correction.changed.append((key, fields))


def _plain(value: Any) -> Any:
    """Values read back from DuckDB and computed by polars compare alike."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _open_copy(data_dir: Path) -> tuple[duckdb.DuckDBPyConnection | None, str]:
    """An in-memory copy of the warehouse, or (None, why) when there is none to read."""
    live = data_dir / WAREHOUSE_NAME
    if not live.exists():
        return None, "no_warehouse"
    sources = [(live, "warehouse"), (data_dir / SNAPSHOT, "snapshot")]
    for path, source in sources:
        if not path.exists():
            continue
        con = duckdb.connect()
        try:
            models.execute(con, "inbox_check/attach_warehouse", {"path": str(path)})
        except duckdb.IOException:  # held by a running night: one process at a time
            con.close()
            continue
        models.execute(con, "inbox_check/copy_warehouse")
        models.execute(con, "inbox_check/detach_warehouse")
        migrate(con)
        rules.prepare(con)
        return con, source
    return None, "locked"


def _correction(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    ingested: IngestedFile,
    result: Validated,
    run_date: date,
) -> Correction:
    """Record the file in the copy as tonight's night would, and see what follows."""
    item = ingested.file
    read = models.relation(con, "ingest/read_files").fetchall()
    current = {name: sha for name, sha, is_current in read if is_current}
    previous_sha = current.get(item.name)
    correction = Correction(previous_sha)
    if previous_sha == item.sha256:
        correction.unchanged = True
        return correction
    if previous_sha is not None:
        version = {"file_name": item.name, "file_sha256": previous_sha}
        before_rows = models.frame(con, _VERSION_ROWS[item.kind], version)
        _rows_diff(before_rows, result.accepted, item.kind, correction)
    if item.kind != "registrations":
        return correction
    pending = models.frame(con, "lifecycle/pending_proposals")
    before = rules.check_pairs(con, config, pending).filter(pl.col("broken_rule").is_not_null())
    known = {(name, sha) for name, sha, _ in read}
    item = InboxFile(
        item.path,
        item.name,
        item.kind,
        item.sha256,
        item.size,
        previous_sha,
        (item.name, item.sha256) in known,
    )
    with transaction(con):
        validate_stage.record(
            con,
            run_date,
            IngestedFile(item, ingested.archived_as, ingested.table),
            result,
            config.program.language,
        )
        participants.from_registrations(con, run_date)
        participants.apply_profile_changes(con)
    after = rules.check_pairs(con, config, pending).filter(pl.col("broken_rule").is_not_null())
    pair = ["mentee_email", "mentor_email"]
    newly = after.join(before.select(pair), on=pair, how="anti")
    withdrawn = pending.join(
        newly.select("mentee_email", "mentor_email", "broken_rule"),
        on=["mentee_email", "mentor_email"],
    ).sort("proposal_id")
    correction.withdrawn = withdrawn.to_dicts()
    return correction


def check_file(path: Path, config: Config, *, run_date: date | None = None) -> tuple[int, str]:
    """The dry run of one file: (exit code, the text to print, in the program's language)."""
    lang = config.program.language
    say = _say(lang)
    run_date = run_date or datetime.now(config.tz).date()
    lines = [say("title", name=path.name)]
    kind = file_kind(path.name, config.inbox.files)
    lines.append(say("kind_" + (kind or "guessed")))
    kind = kind or "registrations"
    try:
        data = path.read_bytes()
    except OSError as exc:
        lines.append(say("unreadable", reason=exc.strerror or type(exc).__name__))
        return UNREADABLE, "\n".join(lines) + "\n"
    form = FormMap.for_file(path.name, config.inbox.headers, config.inbox.files)
    try:
        header = read_rows(path, data)[0]
        # the columns first, also when they are why the file cannot be read
        lines.append(say("columns"))
        lines += [_column_line(say, lang, c) for c in understand(header, kind, form)]
        if kind == "registrations":
            lines += [
                say("column_by_name", field=words.say(lang, "field", f), value=v)
                for f, v in form.fixed.items()
            ]
        table: RawTable = read_table(path, kind, data, form)
    except UnreadableFile as exc:
        lines.append(say("unreadable", reason=exc.reason.message(lang)))
        return UNREADABLE, "\n".join(lines) + "\n"

    sha = hashlib.sha256(data).hexdigest()
    item = InboxFile(path, path.name, kind, sha, len(data), None)
    ingested = IngestedFile(item, path, table)
    result = validate_stage.check(ingested, config)
    assert result is not None  # the table was read
    counts = result.counts
    lines.append(say("rows", read=sum(counts.values()), **counts))
    if result.quarantined.height:
        lines.append(say("first_reasons"))
        lines += [
            say("reason_line", row=row["row_number"], reasons=" ; ".join(row["reasons"]))
            for row in result.quarantined.head(FIRST_REASONS).iter_rows(named=True)
        ]
    if result.superseded.height:
        for row in result.superseded.head(FIRST_REASONS).iter_rows(named=True):
            lines.append(say("superseded_line", row=row["row_number"], by=row["replaced_by_row"]))
    unknown = result.unknown_values.group_by("field", "value").len().sort("field", "value")
    if unknown.height:
        lines.append(say("unknown_tags"))
        lines += [
            say("unknown_line", field=r["field"], value=r["value"], rows=r["len"])
            for r in unknown.iter_rows(named=True)
        ]
    lines += _correction_lines(say, lang, config, ingested, result, run_date)
    verdict = QUARANTINE if result.quarantined.height else CLEAN
    lines.append(say("verdict_quarantine", count=result.quarantined.height) if verdict
                 else say("verdict_clean"))  # fmt: skip
    return verdict, "\n".join(lines) + "\n"


def _correction_lines(
    say: Callable[..., str],
    lang: str,
    config: Config,
    ingested: IngestedFile,
    result: Validated,
    run_date: date,
) -> list[str]:
    con, source = _open_copy(config.data_dir)
    if con is None:
        return [say(source)]
    try:
        correction = _correction(con, config, ingested, result, run_date)
    finally:
        con.close()
    lines = [say("from_snapshot", path=SNAPSHOT)] if source == "snapshot" else []
    if correction.unchanged:
        return [*lines, say("unchanged")]
    if correction.previous is None:
        lines.append(say("new_file"))
    else:
        lines.append(say("correction"))
        lines.append(say("added", count=len(correction.added)))
        lines += [say("row_line", who=who) for who in correction.added[:FIRST_REASONS]]
        lines.append(say("removed", count=len(correction.removed)))
        lines += [say("row_line", who=who) for who in correction.removed[:FIRST_REASONS]]
        lines.append(say("changed", count=len(correction.changed)))
        lines += [
            say("change_line", who=who, fields=", ".join(words.say(lang, "field", f) for f in fs))
            for who, fs in correction.changed[:FIRST_REASONS]
        ]
    if ingested.file.kind == "registrations":
        lines.append(say("withdrawn", count=len(correction.withdrawn)))
        lines += [
            say(
                "withdrawn_line",
                proposal_id=p["proposal_id"],
                mentee=p["mentee_email"],
                mentor=p["mentor_email"],
                rule=words.say(lang, "pair_rule", p["broken_rule"]),
            )
            for p in correction.withdrawn
        ]
    return lines
