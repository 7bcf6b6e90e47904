"""Tell someone when a night fails: the `run_failed` email to `[program] operators`.

A night can go wrong in three ways, and each ends in one email per failed attempt:

- a stage raises: `night.open_night` marks the `runs` row `failed` with the stage and the
  error, and `night.tell_operators` queues and sends the email at once;
- the process dies mid-run (SIGKILL, power loss): the next run finds the row `running`,
  marks it `interrupted` (`night._start`) and its notify stage sends the email;
- the night cannot start (broken configuration, lock held, warehouse unreadable): there is
  no warehouse to write to, so a small JSON *failure record* is left in the state directory,
  keyed by the configuration file; the next run that can start turns it into a `runs` row
  and emails it.

The email's key is the night's date and attempt, so re-queueing it (every night looks at the
last weeks' unfinished nights) never sends it twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from jumelage import models
from jumelage.config import Config
from jumelage.vocabulary import EmailKind

log = logging.getLogger(__name__)

#: How far back the nightly look at unfinished nights goes (older ones were emailed then).
LOOK_BACK = timedelta(days=14)
STATE_ENV = "JUMELAGE_STATE_DIR"


def state_dir() -> Path:
    """Where failure records go: `$JUMELAGE_STATE_DIR`, systemd's `$STATE_DIRECTORY`, else
    `$XDG_STATE_HOME/jumelage` (`~/.local/state/jumelage`)."""
    for name in (STATE_ENV, "STATE_DIRECTORY"):
        value = os.environ.get(name, "").split(":")[0]
        if value:
            return Path(value)
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "jumelage"


def _prefix(config_path: Path | str) -> str:
    """Records belong to one configuration file (one program), whatever its data_dir says."""
    digest = hashlib.sha256(str(Path(config_path).resolve()).encode()).hexdigest()[:12]
    return f"failed-{digest}-"


@dataclass(frozen=True)
class FailureRecord:
    """A night that could not start, as the next run reads it."""

    run_date: date
    kind: str
    stage: str
    error: str
    at: datetime
    config_path: str

    def params(self) -> dict[str, Any]:
        """The parameters of `runs/not_started`."""
        return {
            "run_date": self.run_date,
            "kind": self.kind,
            "started_at": self.at,
            "finished_at": self.at,
            "stage": self.stage,
            "error": self.error,
        }


def record_failure(
    config_path: Path | str, run_date: date, kind: str, stage: str, error: str
) -> Path | None:
    """Leave a failure record for the next run (atomically); None when even that fails."""
    now = datetime.now().replace(microsecond=0)
    record = FailureRecord(run_date, kind, stage, error[:2000], now, str(config_path))
    folder = state_dir()
    path = folder / f"{_prefix(config_path)}{run_date.isoformat()}-{now:%Y%m%dT%H%M%S}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(record), default=str), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.error("could not leave a failure record in %s: %s", folder, exc)
        return None
    return path


def pending_records(config: Config) -> list[tuple[Path, FailureRecord]]:
    """The failure records of this configuration, oldest first (unreadable ones skipped)."""
    folder = state_dir()
    found = []
    for path in sorted(folder.glob(f"{_prefix(config.source)}*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            record = FailureRecord(
                run_date=date.fromisoformat(raw["run_date"]),
                kind=str(raw["kind"]),
                stage=str(raw["stage"]),
                error=str(raw["error"]),
                at=datetime.fromisoformat(raw["at"]),
                config_path=str(raw["config_path"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("unreadable failure record %s: %s", path, exc)
            continue
        found.append((path, record))
    return found


def rerun_command(config: Config, run_date: date) -> str:
    return f"jumelage run --config {config.source} --date {run_date.isoformat()}"


def queue_run_failed(
    con: duckdb.DuckDBPyConnection, config: Config, today: date, *, redoing: date | None = None
) -> list[str]:
    """Queue one `run_failed` email per operator for each unfinished night of the last weeks
    but `redoing` (the night starting now, which redoes it).

    Call inside the caller's transaction. Keyed by date and attempt: a night already told
    is not told again; a new failed attempt of the same date is. Returns the new keys.
    """
    from jumelage.notify import compose, enqueue

    params = {"cutoff": today - LOOK_BACK, "redoing": redoing}
    _, rows = models.rows(con, "runs/unfinished", params)
    messages = []
    for run_date, _kind, status, stage, error, attempts, _started in rows:
        context = {
            "run_date": run_date,
            "status": status,
            "stage": stage,
            "error": error,
            "attempts": attempts,
            "rerun_command": rerun_command(config, run_date),
        }
        about = f"{run_date.isoformat()}#{attempts}"
        messages += [
            compose(
                config,
                EmailKind.RUN_FAILED,
                to=operator,
                context=context,
                about=about,
                language=config.program.language,
                run_date=today,
            )
            for operator in config.operators
        ]
    return enqueue(con, messages)
