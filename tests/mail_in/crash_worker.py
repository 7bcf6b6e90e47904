"""Run one night, killed (SIGKILL) at a point of `mail_in`: `python crash_worker.py CONFIG DAY
POINT N` dies at the N-th call of that point. Points: `record` (before a message and its event
are recorded), `move` (recorded, not yet moved), `mark_moved` (moved, the move not yet
recorded); `move_fails` makes every move fail instead (the run goes on)."""

from __future__ import annotations

import os
import signal
import sys
from datetime import date

from jumelage import stages
from jumelage.config import load_config
from jumelage.mail_in import inbound
from jumelage.mail_in.imap import Mailbox
from jumelage.night import open_night


def main() -> None:
    config_path, day, point, nth = (
        sys.argv[1],
        date.fromisoformat(sys.argv[2]),
        sys.argv[3],
        int(sys.argv[4]),
    )
    calls = 0

    def wrap(original):
        def patched(*args, **kwargs):
            nonlocal calls
            calls += 1
            if point == "move_fails":
                raise OSError("the server refused the move")
            if calls >= nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        return patched

    if point == "record":
        inbound.record = wrap(inbound.record)
    elif point in ("move", "move_fails"):
        Mailbox.move = wrap(Mailbox.move)
    elif point == "mark_moved":
        inbound.mark_moved = wrap(inbound.mark_moved)
    config = load_config(config_path)
    with open_night(config, day) as night:
        stages.run(night, skip=("notify", "report", "send_report"))


if __name__ == "__main__":
    main()
