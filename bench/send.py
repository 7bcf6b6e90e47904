"""A launch night's email: how many emails a second the send stage delivers to a local sink.

    .venv/bin/python bench/send.py [--messages 10000] [--batch 200]

N proposal-sized messages (about 3 KB of text and 6 KB of HTML each) are queued in a fresh
warehouse (not timed), then `jumelage.notify.send_queued` sends them over one connection to
an SMTP sink (aiosmtpd) running in another process, as the notify stage does. Prints the
emails/s, how many the sink received, and checks that every row is `sent`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from jumelage import warehouse
from jumelage.config import Config
from jumelage.mailsink import MailSink, free_port
from jumelage.notify import enqueue, send_queued
from jumelage.notify import send as send_module
from jumelage.notify.compose import OutgoingEmail

RUN_DATE = date(2026, 9, 1)


def _sink(port: int, ready, stop, received) -> None:
    with MailSink(port=port) as sink:
        ready.set()
        stop.wait()
        received.value = len(sink.raw)  # counted, not parsed


def messages(n: int) -> list[OutgoingEmail]:
    text = (
        "Bonjour,\n\n" + "Votre proposition de jumelage, ses raisons et la marche à suivre. " * 45
    )
    html = "<html><body><p>" + "Votre proposition de jumelage &amp; ses raisons. " * 120 + "</p>"
    return [
        OutgoingEmail(
            email_key=f"proposal-bench-{i:06d}",
            kind="proposal",
            recipient=f"mentee{i:06d}@example.org",
            language="fr",
            subject=f"Proposition de jumelage P-{i:06d}",
            body_text=text,
            body_html=html + "</body></html>",
            message_id=f"<proposal-bench-{i:06d}@example.org>",
            about=f"P-{i:06d}",
            created_run_date=RUN_DATE,
        )
        for i in range(n)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=send_module.BATCH_SIZE)
    args = parser.parse_args(argv)
    send_module.BATCH_SIZE = args.batch
    port = free_port("127.0.0.1")
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    received = multiprocessing.Value("i", 0)
    child = multiprocessing.Process(target=_sink, args=(port, ready, stop, received))
    child.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Config.model_validate(
                {
                    "program": {
                        "name": "bench",
                        "mailbox": "mentorat@example.org",
                        "coordinators": ["c@example.org"],
                        "data_dir": str(Path(tmp) / "data"),
                    },
                    "smtp": {"host": "127.0.0.1", "port": port},
                }
            )
            config.data_dir.mkdir()  # as `jumelage init` makes it
            con = warehouse.connect(config.data_dir)
            with warehouse.transaction(con):
                enqueue(con, messages(args.messages))
            started = time.perf_counter()
            stats = send_queued(con, config, run_date=RUN_DATE)
            seconds = time.perf_counter() - started
            (statuses,) = con.execute("select list(distinct status) from emails").fetchall()
            con.close()
    finally:  # the sink's process ends whatever happened here
        stop.set()
        child.join(30)
    row = {
        "messages": args.messages,
        "batch": args.batch,
        "sent": len(stats.sent),
        "received_by_sink": received.value,
        "all_rows_sent": statuses[0] == ["sent"],
        "seconds": round(seconds, 2),
        "emails_per_s": round(len(stats.sent) / seconds, 1),
        "peak_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }
    print(row, flush=True)
    return 0 if row["all_rows_sent"] and row["received_by_sink"] == args.messages else 1


if __name__ == "__main__":
    sys.exit(main())
