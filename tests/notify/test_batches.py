"""Batched sending: the journal that lets a crash leave only the message in flight
`uncertain`, `[smtp] max_per_run` and `max_per_minute`."""

from __future__ import annotations

from datetime import timedelta

from jumelage import warehouse
from jumelage.notify import enqueue, recover_interrupted, send_queued
from jumelage.notify.journal import SendJournal, journal_path
from jumelage.notify.outbox import claim, get_email
from jumelage.notify.send import Pace
from jumelage.report.build import emails_waiting
from jumelage.templating import longdate
from tests.notify.helpers import RUN_DATE, make_config, sample_messages


def statuses(con) -> dict[str, str]:
    return dict(con.execute("select email_key, status from emails").fetchall())


def test_recovery_reads_the_journal_of_a_killed_batch(con, config, sink) -> None:
    messages = sample_messages(config, 5)
    with warehouse.transaction(con):
        enqueue(con, messages)
    done, in_flight, waiting, claimed_old, untouched = (m.email_key for m in messages)
    # what a send stage killed in the middle of a batch leaves: a claimed batch, one message
    # delivered but not yet committed, one in flight, one not started; plus a `sending` row
    # the journal does not name (an older version's crash)
    journal = SendJournal(journal_path(config.data_dir))
    journal.begin([done, in_flight, waiting])
    assert sorted(claim(con, [done, in_flight, waiting, claimed_old])) == sorted(
        [done, in_flight, waiting, claimed_old]
    )
    journal.started(done)
    journal.ended(done, "sent", "250 OK queued as 1", "2026-03-02T01:00:00")
    journal.started(in_flight)
    journal.close()
    assert recover_interrupted(con, journal_path(config.data_dir)) == sorted(
        [in_flight, claimed_old]
    )
    assert statuses(con) == {
        done: "sent",
        in_flight: "uncertain",
        waiting: "queued",
        claimed_old: "uncertain",
        untouched: "queued",
    }
    assert get_email(con, done)["smtp_response"] == "250 OK queued as 1"
    assert not journal_path(config.data_dir).exists()
    # the next run sends the two queued ones, nothing else
    stats = send_queued(con, config, run_date=RUN_DATE)
    assert sorted(stats.sent) == sorted([waiting, untouched])
    assert {m["X-Jumelage-Key"] for m in sink.messages} == {waiting, untouched}


def test_a_torn_last_line_is_ignored(con, config) -> None:
    messages = sample_messages(config, 2)
    with warehouse.transaction(con):
        enqueue(con, messages)
    keys = [m.email_key for m in messages]
    journal = SendJournal(journal_path(config.data_dir))
    journal.begin(keys)
    claim(con, keys)
    journal.close()
    with journal_path(config.data_dir).open("ab") as f:
        f.write(b'{"start": "' + keys[0].encode())  # the crash cut the write short
    recover_interrupted(con, journal_path(config.data_dir))
    # the start never reached the disk whole, so its SMTP transaction never began
    assert statuses(con) == dict.fromkeys(keys, "queued")


def test_max_per_run_leaves_the_rest_queued(tmp_path, sink) -> None:
    config = make_config(tmp_path, sink.port, max_per_run=2)
    con = warehouse.connect(config.data_dir)
    try:
        messages = sample_messages(config, 5)
        with warehouse.transaction(con):
            enqueue(con, messages)
        first = send_queued(con, config, run_date=RUN_DATE)
        assert len(first.sent) == 2 and len(first.capped) == 3
        # the run's second send stage (the report's) does not go past the cap
        assert send_queued(con, config, run_date=RUN_DATE).sent == []
        report = sample_messages(config, 1, kind="daily_report")
        with warehouse.transaction(con):
            enqueue(con, report)
        assert send_queued(con, config, run_date=RUN_DATE).sent == [report[0].email_key]
        second = send_queued(con, config, run_date=RUN_DATE + timedelta(days=1))
        assert len(second.sent) == 2 and len(second.capped) == 1
        assert sorted(statuses(con).values()) == ["queued"] + ["sent"] * 5
        assert len(sink.messages) == 5
    finally:
        con.close()


def test_pace_keeps_at_most_max_per_minute_in_any_minute() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pace = Pace(3, clock=lambda: now[0], sleep=sleep)
    sent_at = []
    for _ in range(7):
        pace.wait()
        sent_at.append(now[0])
        now[0] += 1.0  # each message takes a second
    assert sent_at == [0.0, 1.0, 2.0, 60.0, 61.0, 62.0, 120.0]
    for i, t in enumerate(sent_at):
        assert sum(1 for u in sent_at if t - 60 < u <= t) <= 3, i


def test_the_report_says_how_many_wait_and_when_they_go(tmp_path, sink) -> None:
    capped = make_config(tmp_path, sink.port, max_per_run=100)
    assert emails_waiting(capped, 0, RUN_DATE, "fr") is None
    # 250 waiting at 100 a night: three more nights
    assert emails_waiting(capped, 250, RUN_DATE, "fr") == (
        "250 courriels attendent : au plus 100 partent par nuit ([smtp] max_per_run) ; "
        f"les derniers partiront la nuit du {longdate(RUN_DATE + timedelta(days=3), 'fr')}."
    )
    paced = make_config(tmp_path, sink.port, max_per_minute=30)
    assert "about 9 min" in emails_waiting(paced, 250, RUN_DATE, "en")
