"""The ingest stage: new and corrected inbox files, archived and read into string frames."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from jumelage.config import InboxConfig
from jumelage.ingest.columns import FormMap
from jumelage.ingest.inbox import InboxFile, archive, scan
from jumelage.ingest.reader import RawTable, UnreadableFile, read_table
from jumelage.quarantine import Reason


@dataclass
class IngestedFile:
    """One file version read tonight: its rows, or why it could not be read at all."""

    file: InboxFile
    archived_as: Path
    table: RawTable | None
    problem: Reason | None = None  # why the file could not be read, when table is None


def ingest(
    con: duckdb.DuckDBPyConnection, data_dir: Path, inbox: InboxConfig | None = None
) -> list[IngestedFile]:
    """Archive and read every new or corrected file of `<data_dir>/inbox`, form exports
    through `[inbox]` (`inbox`).

    Writes nothing to the warehouse: validation records the files with their rows, in one
    transaction, so a crash here leaves the files to be read again next time.
    """
    inbox = inbox or InboxConfig()
    ingested = []
    for item, data in scan(data_dir / "inbox", con, inbox.files):
        archived = archive(data_dir / "archive", item, data)
        form = FormMap.for_file(item.name, inbox.headers, inbox.files)
        try:
            table = read_table(archived, item.kind, data, form)
        except UnreadableFile as exc:
            ingested.append(IngestedFile(item, archived, None, exc.reason))
        else:
            ingested.append(IngestedFile(item, archived, table))
    return ingested
