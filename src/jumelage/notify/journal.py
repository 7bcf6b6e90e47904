"""The send stage's write-ahead journal: what a crash would otherwise hide.

The outbox commits to DuckDB once per batch, not per message (two commits a message capped a
launch night at 60 emails/s). Between those commits the journal, a small append-only file
beside the warehouse, says where each claimed message stood:

- `claim`: the batch's keys, written and flushed to disk BEFORE the batch is committed
  `sending`, so that a `sending` row the journal does not name is from an older version (or
  the journal was lost) and is treated as before: `uncertain`;
- `start KEY`: written when the SMTP transaction of KEY begins and flushed to disk
  (`fdatasync`, ~0.4 ms, in a helper thread while MAIL/RCPT/DATA go back and forth) BEFORE
  the message is handed over: a claimed key without it never reached the server and can go
  back to `queued`;
- `end KEY STATUS DETAIL`: the outcome, written as soon as the server answers; its flush is
  the next `start`'s (a lost `end` only makes a delivered message `uncertain`, never sent
  twice).

After a crash, `notify.outbox.recover_interrupted` reads it: only the message in flight (a
`start` without an `end`) becomes `uncertain`. Lines are JSON; a torn last line is ignored.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

#: The journal's file, under the program's data directory.
JOURNAL_NAME = "send-journal.jsonl"


def journal_path(data_dir: Path) -> Path:
    return Path(data_dir) / JOURNAL_NAME


@dataclass
class JournalState:
    """What a journal says about its batch."""

    claimed: set[str] = field(default_factory=set)
    started: set[str] = field(default_factory=set)
    ended: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # status, detail, at


def read_journal(path: Path) -> JournalState:
    """The last batch's journal (empty when there is none)."""
    state = JournalState()
    if not path.exists():
        return state
    for line in path.read_bytes().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # torn by the crash: the write never completed
            continue
        if "claim" in entry:
            state.claimed.update(entry["claim"])
        elif "start" in entry:
            state.started.add(entry["start"])
        elif "end" in entry:
            state.ended[entry["end"]] = (entry["status"], entry["detail"], entry["at"])
    return state


class SendJournal:
    """The journal of the batch being sent; one batch at a time, one sender (the data-dir
    lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._flusher: ThreadPoolExecutor | None = None

    def _write(self, entry: dict[str, object], *, sync: bool) -> None:
        assert self._fd is not None, "begin() the batch first"
        os.write(self._fd, json.dumps(entry, ensure_ascii=False).encode() + b"\n")
        if sync:
            os.fdatasync(self._fd)

    def begin(self, keys: list[str]) -> None:
        """A new batch: the file is emptied (a finished batch is no longer needed) and the
        keys about to be claimed are on disk before the claim is committed."""
        self.close()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._flusher = ThreadPoolExecutor(1, thread_name_prefix="send-journal")
        self._write({"claim": keys}, sync=True)

    def started(self, key: str) -> Future[None]:
        """Write `start KEY`; the returned future is done once it is on disk (wait for it
        before the message is handed over)."""
        self._write({"start": key}, sync=False)
        assert self._flusher is not None
        return self._flusher.submit(os.fdatasync, self._fd)

    def ended(self, key: str, status: str, detail: str, at: str) -> None:
        self._write({"end": key, "status": status, "detail": detail, "at": at}, sync=False)

    def close(self) -> None:
        if self._flusher is not None:  # a flush still running finishes first
            self._flusher.shutdown(wait=True)
            self._flusher = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def clear(self) -> None:
        """The batch is committed: nothing to recover any more."""
        self.close()
        self.path.unlink(missing_ok=True)
