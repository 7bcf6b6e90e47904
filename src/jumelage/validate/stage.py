"""The validate stage: check every ingested file and record its rows in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from jumelage.config import Config
from jumelage.ingest.stage import IngestedFile
from jumelage.quarantine import to_json
from jumelage.validate import records
from jumelage.validate.events import validate_events
from jumelage.validate.org_chart import validate_org_chart
from jumelage.validate.outcome import Validated
from jumelage.validate.registrations import validate_registrations
from jumelage.vocabulary import COLUMN
from jumelage.warehouse import transaction, utcnow


@dataclass
class FileResult:
    name: str
    kind: str
    sha256: str
    rows_read: int
    accepted: int
    quarantined: int
    superseded: int
    error: str | None
    correction: bool


def check(ingested: IngestedFile, config: Config) -> Validated | None:
    """Validate one file's rows (None when the file could not be read at all)."""
    table = ingested.table
    if table is None:
        return None
    if ingested.file.kind == "registrations":
        return validate_registrations(
            table.frame, config, table.row_problems, from_form=table.from_form
        )
    if ingested.file.kind == "org_chart":
        return validate_org_chart(table.frame, table.row_problems, lang=config.program.language)
    return validate_events(table.frame, table.row_problems, lang=config.program.language)


def _ignored_columns(ingested: IngestedFile) -> pl.DataFrame:
    """The headers that were not understood, as `unknown_values` of row 0 (field `column`)."""
    headers = ingested.table.ignored_headers if ingested.table else []
    return pl.DataFrame(
        {"row_number": [0] * len(headers), "field": [COLUMN] * len(headers), "value": headers},
        schema={"row_number": pl.Int64, "field": pl.String, "value": pl.String},
    )


def record(
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    ingested: IngestedFile,
    result: Validated | None,
    lang: str,
) -> FileResult:
    """Write one file version: registry row, accepted rows, quarantine, superseded, unknown tags.

    A correction (same name, new content) replaces the rows of the version it corrects. Why a
    file was rejected is written in `lang`, the program's language, like row reasons. The rows
    are written by their owner, `validate.records`.
    """
    item = ingested.file
    problem = ingested.problem
    error = problem.message(lang) if problem else None
    if item.seen_before:  # an older version comes back: it is recorded afresh tonight
        records.forget_version(con, item.name, item.sha256)
    if item.replaces:
        records.replace_version(con, item.name, item.replaces, item.sha256)
    named = pl.lit(item.name).alias("source_file")
    common = [pl.lit(item.sha256).alias("file_sha256"), pl.lit(run_date).alias("run_date")]
    if result is None:
        counts = {"accepted": 0, "quarantined": 1, "superseded": 0}
        rows_read = 0
        reasons = [problem] if problem else []
        records.add_rows(
            con,
            "quarantine",
            pl.DataFrame(
                {
                    "row_number": [0],
                    "email": [None],
                    "reasons": [[r.text(lang) for r in reasons]],
                    "reason_codes": [to_json(reasons)],
                },
                schema={
                    "row_number": pl.Int64,
                    "email": pl.String,
                    "reasons": pl.List(pl.String),
                    "reason_codes": pl.String,
                },
            ).with_columns(*common, named, pl.lit(item.kind).alias("kind")),
        )
    else:
        counts = result.counts
        rows_read = sum(counts.values())
        rows = result.accepted.with_columns(
            pl.lit(item.sha256).alias("file_sha256"), pl.lit(item.name).alias("file_name")
        )
        records.add_rows(con, records.accepted_table(item.kind), rows)
        records.add_rows(
            con,
            "quarantine",
            result.quarantined.with_columns(*common, named, pl.lit(item.kind).alias("kind")),
        )
        records.add_rows(con, "superseded", result.superseded.with_columns(*common, named))
        records.add_rows(
            con,
            "unknown_values",
            pl.concat([_ignored_columns(ingested), result.unknown_values]).with_columns(
                *common, named
            ),
        )
    records.add_file(
        con,
        file_sha256=item.sha256,
        file_name=item.name,
        kind=item.kind,
        size_bytes=item.size,
        archived_as=ingested.archived_as.name,
        run_date=run_date,
        read_at=utcnow(),
        status="rejected" if result is None else "current",
        encoding=ingested.table.encoding if ingested.table else None,
        separator=ingested.table.separator if ingested.table else None,
        rows_read=rows_read,
        rows_accepted=counts["accepted"],
        rows_quarantined=0 if result is None else counts["quarantined"],
        rows_superseded=counts["superseded"],
        error=error,
    )
    return FileResult(
        item.name,
        item.kind,
        item.sha256,
        rows_read,
        counts["accepted"],
        0 if result is None else counts["quarantined"],
        counts["superseded"],
        error,
        item.replaces is not None,
    )


def validate(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, files: list[IngestedFile]
) -> list[FileResult]:
    """Validate every file (before writing), then record all of them in one transaction."""
    checked = [(f, check(f, config)) for f in files]
    lang = config.program.language
    with transaction(con):
        return [record(con, run_date, f, result, lang) for f, result in checked]
