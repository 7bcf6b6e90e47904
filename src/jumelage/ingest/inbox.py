"""The inbox: which files are new, which are corrections, and their archived copies."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from jumelage import models
from jumelage.ingest.columns import name_matches
from jumelage.normalize import fold

KIND_PREFIXES = {
    "registrations": ("registrations", "inscriptions"),
    "events": ("events", "evenements"),
    "org_chart": ("orgchart", "organigramme"),
}
SUFFIXES = {".csv", ".xlsx"}


@dataclass(frozen=True)
class InboxFile:
    """One version of one inbox file, as found tonight."""

    path: Path
    name: str
    kind: str
    sha256: str
    size: int
    replaces: str | None  # sha256 of the current version under the same name, if a correction
    seen_before: bool = False  # an earlier version that comes back (a correction undone)

    @property
    def archive_name(self) -> str:
        return f"{self.sha256}-{self.name}"


def file_kind(name: str, form_patterns: Iterable[str] = ()) -> str | None:
    """`registrations*`/`inscriptions*`, `events*`/`evenements*`/`événements*` or
    `org_chart*`/`organigramme*`, .csv or .xlsx; a name that matches a pattern of
    `[inbox.files]` (a form's export) is a registrations file."""
    path = Path(name)
    if path.suffix.lower() not in SUFFIXES or name.startswith((".", "~$")):
        return None
    if any(name_matches(name, pattern) for pattern in form_patterns):
        return "registrations"
    stem = re.sub(r"[^a-z]", "", fold(path.stem))
    for kind, prefixes in KIND_PREFIXES.items():
        if stem.startswith(prefixes):
            return kind
    return None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan(
    inbox: Path, con: duckdb.DuckDBPyConnection, form_patterns: Iterable[str] = ()
) -> list[tuple[InboxFile, bytes]]:
    """New files and corrections in the inbox, in a stable order (by name).

    A file whose content is the current version of its name is skipped, so a file left in the
    inbox is read once; any other content under a known name is a correction.
    """
    if not inbox.is_dir():
        return []
    read = models.relation(con, "ingest/read_files").fetchall()
    known = {(name, sha) for name, sha, _ in read}
    current = {name: sha for name, sha, is_current in read if is_current}
    found = []
    for path in sorted(inbox.iterdir(), key=lambda p: p.name):
        kind = file_kind(path.name, form_patterns)
        if kind is None or not path.is_file():
            continue
        data = path.read_bytes()
        digest = sha256_of(data)
        previous = current.get(path.name)
        if previous == digest:
            continue
        seen = (path.name, digest) in known
        found.append((InboxFile(path, path.name, kind, digest, len(data), previous, seen), data))
    return found


def archive(archive_dir: Path, item: InboxFile, data: bytes) -> Path:
    """Keep the version exactly as read; writing the same version twice is harmless."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    target = archive_dir / item.archive_name
    if not target.exists():
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        shutil.move(partial, target)
    return target
