"""Run by test_crash.py as a real subprocess: recover, then send the outbox."""

from __future__ import annotations

import sys

from jumelage import warehouse
from jumelage.config import load_config
from jumelage.notify import recover_interrupted, send_queued
from jumelage.notify import send as send_module
from jumelage.notify.journal import journal_path


def main(config_path: str) -> None:
    # small batches: kills land inside a batch (claimed, partly sent, not yet recorded) and
    # between batches
    send_module.BATCH_SIZE = 7
    config = load_config(config_path)
    con = warehouse.connect(config.data_dir)
    recover_interrupted(con, journal_path(config.data_dir))
    print("ready", flush=True)
    stats = send_queued(con, config, retry_delay=0.05)
    print(f"sent {len(stats.sent)}", flush=True)
    con.close()


if __name__ == "__main__":
    main(sys.argv[1])
