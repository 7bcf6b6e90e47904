"""The outbox against a real SMTP server: exactly once, outages, refusals, crashes."""

from __future__ import annotations

import dataclasses
import time
from email.utils import parseaddr

import pytest

from jumelage import warehouse
from jumelage.errors import JumelageError
from jumelage.mailsink import MailSink
from jumelage.notify import (
    compose,
    counts,
    email_key,
    enqueue,
    list_emails,
    message_id,
    recover_interrupted,
    resend,
    send_queued,
)
from jumelage.notify.outbox import get_email
from tests.notify.helpers import RUN_DATE, context_for, make_config, sample_messages


def statuses(con):
    return dict(con.execute("select email_key, status from emails").fetchall())


def test_emails_table_has_the_spec_columns(con):
    cols = {r[0] for r in con.execute("describe emails").fetchall()}
    assert {"email_key", "kind", "recipient", "status", "sent_at"} <= cols
    assert {"message_id", "attempts", "last_error", "language", "subject"} <= cols


def test_keys_are_deterministic_and_distinct():
    k = email_key("confirmation", "R-1", None, "A@Example.org")
    assert k == email_key("confirmation", "R-1", None, "a@example.org")
    assert k != email_key("confirmation", "R-1", None, "b@example.org")
    assert k != email_key("followup", "R-1", None, "a@example.org")
    assert email_key("followup", "R-1", RUN_DATE, "a") != email_key("followup", "R-1", None, "a")
    assert message_id(k, "mentorat@example.org") == f"<{k}@example.org>"


def test_a_second_enqueue_of_the_same_key_is_a_no_op(con, config, sink):
    messages = sample_messages(config, 3)
    with warehouse.transaction(con):
        assert len(enqueue(con, messages)) == 3
    with warehouse.transaction(con):
        assert enqueue(con, sample_messages(config, 3)) == []
    assert con.execute("select count(*) from emails").fetchone()[0] == 3
    stats = send_queued(con, config, run_date=RUN_DATE)
    assert len(stats.sent) == 3 and stats.ok
    # Re-running the same night: the same messages are composed and queued again...
    with warehouse.transaction(con):
        assert enqueue(con, sample_messages(config, 3)) == []
    assert send_queued(con, config, run_date=RUN_DATE).sent == []
    # ...and nothing new reaches the server.
    assert len(sink.messages) == 3
    assert len(set(sink.message_ids())) == 3


def test_enqueue_rolls_back_with_the_state_change(con, config):
    with pytest.raises(RuntimeError), warehouse.transaction(con):
        enqueue(con, sample_messages(config, 2))
        raise RuntimeError("the state change failed")
    assert con.execute("select count(*) from emails").fetchone()[0] == 0


def test_headers_and_parts_as_delivered(con, config, sink):
    m = compose(
        config,
        "confirmation",
        to="Zoe.Cote@example.org",
        context=context_for("confirmation"),
        about="R-7",
        language="fr,en",
        run_date=RUN_DATE,
    )
    with warehouse.transaction(con):
        enqueue(con, [m])
    send_queued(con, config, run_date=RUN_DATE)
    [got] = sink.messages
    assert parseaddr(got["From"]) == ("Connexion Cadres", "mentorat@example.org")
    assert got["Reply-To"] == "mentorat@example.org"
    assert got["To"] == "zoe.cote@example.org"
    assert got["X-Jumelage-Kind"] == "confirmation"
    assert got["X-Jumelage-Key"] == m.email_key
    assert got["Message-ID"] == m.message_id == f"<{m.email_key}@example.org>"
    assert got["Subject"] == m.subject
    assert got["Content-Language"] == "fr"  # 'fr,en' speaks the program's language
    assert got.get_content_type() == "multipart/alternative"
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert text.replace("\r\n", "\n") == m.body_text
    assert "Zoé" in text and "Zoé" in html and "Ministère de la Santé" in html
    assert sink.envelopes[0] == ("mentorat@example.org", ["zoe.cote@example.org"])
    assert sink.files[0].name.startswith("0001-confirmation-confirmation-")
    row = get_email(con, m.email_key)
    assert row["status"] == "sent" and row["sent_at"] is not None
    assert row["sent_run_date"] == RUN_DATE and row["attempts"] == 1


def test_daily_report_images_travel_inline(con, config, sink):
    ctx = {
        **context_for("daily_report"),
        "html_body": '<html><body><img src="data:image/png;base64,iVBORw0KGgo="></body></html>',
    }
    m = compose(config, "daily_report", to="coord@example.org", context=ctx, about="2026-11-23")
    with warehouse.transaction(con):
        enqueue(con, [m])
    assert send_queued(con, config).sent == [m.email_key]
    [got] = sink.messages
    related = [p for p in got.walk() if p.get_content_type() == "image/png"]
    assert len(related) == 1 and related[0].get_content() == b"\x89PNG\r\n\x1a\n"
    assert related[0]["Content-ID"].strip("<>") in got.get_body(("html",)).get_content()


def test_smtp_down_then_up_delivers_each_message_exactly_once(con, config, sink):
    with warehouse.transaction(con):
        enqueue(con, sample_messages(config, 5))
    sink.stop()
    started = time.monotonic()
    stats = send_queued(con, config, run_date=RUN_DATE, retry_delay=0.01)
    assert time.monotonic() - started < 5  # gives up quickly, the run goes on
    assert stats.sent == [] and len(stats.still_queued) == 5
    assert "cannot reach SMTP server" in stats.error
    df = list_emails(con)
    assert set(df["status"]) == {"queued"}
    assert df["attempts"].to_list() == [1] * 5
    assert all("cannot reach" in e for e in df["last_error"])
    assert counts(con, RUN_DATE)["queued"] == 5
    # Next night the server is back.
    sink.start()
    stats = send_queued(con, config, run_date=RUN_DATE, retry_delay=0.01)
    assert len(stats.sent) == 5 and stats.ok
    assert send_queued(con, config).sent == []
    assert len(sink.messages) == 5 and len(set(sink.message_ids())) == 5
    assert set(list_emails(con)["status"]) == {"sent"}
    assert list_emails(con)["attempts"].to_list() == [2] * 5
    c = counts(con, RUN_DATE)
    assert (c["sent_tonight"], c["queued"], c["queued_tonight"]) == (5, 0, 5)


def test_server_lost_between_messages_keeps_the_rest_queued(con, config, sink):
    """The server goes away mid-run: what was sent is sent, the rest waits, nothing twice."""
    with warehouse.transaction(con):
        enqueue(con, sample_messages(config, 6))
    original = sink.keep

    def keep_then_die(content, mail_from, rcpt_tos):
        original(content, mail_from, rcpt_tos)
        if len(sink.messages) == 2:
            import threading

            threading.Thread(target=sink.stop).start()

    sink.keep = keep_then_die
    stats = send_queued(con, config, retry_delay=0.01)
    sink.keep = original
    assert len(stats.sent) + len(stats.still_queued) + len(stats.uncertain) == 6
    assert len(stats.sent) <= 2
    delivered = set(sink.message_ids())
    for row in list_emails(con).iter_rows(named=True):
        if row["status"] == "queued":
            assert row["message_id"] not in delivered
    sink.start()
    send_queued(con, config)
    ids = sink.message_ids()
    assert len(ids) == len(set(ids))
    assert set(list_emails(con)["status"]) <= {"sent", "uncertain"}


@pytest.mark.parametrize("pipelining", [True, False])
def test_permanent_refusal_marks_failed_and_the_others_go(tmp_path, pipelining):
    with MailSink(tmp_path / "box", refuse=["mentee1@example.org"], pipelining=pipelining) as sink:
        config = make_config(tmp_path, sink.port)
        con = warehouse.connect(config.data_dir)
        messages = sample_messages(config, 3)
        with warehouse.transaction(con):
            enqueue(con, messages)
        stats = send_queued(con, config, run_date=RUN_DATE)
        assert stats.failed == [messages[1].email_key]
        assert len(stats.sent) == 2
        row = get_email(con, messages[1].email_key)
        assert row["status"] == "failed"
        assert "550" in row["last_error"] and "mentee1@example.org" in row["last_error"]
        assert counts(con, RUN_DATE)["failed_tonight"] == 1
        # A failed message is not retried by the next run.
        assert send_queued(con, config).attempted == 0
        assert len(sink.messages) == 2
        con.close()


def test_interrupted_message_becomes_uncertain_and_is_resent_only_on_request(con, config, sink):
    messages = sample_messages(config, 2)
    with warehouse.transaction(con):
        enqueue(con, messages)
    key = messages[0].email_key
    # A crash right after the 'sending' commit (the real thing: test_crash.py).
    con.execute(
        "update emails set status = 'sending', attempts = 1 where email_key = ?", [key]
    ).fetchall()
    assert recover_interrupted(con) == [key]
    assert statuses(con)[key] == "uncertain"
    assert "jumelage emails resend" in get_email(con, key)["last_error"]
    send_queued(con, config)
    assert len(sink.messages) == 1  # only the other one
    assert counts(con, RUN_DATE)["uncertain"] == 1
    assert list_emails(con, "uncertain")["email_key"].to_list() == [key]
    stats = resend(con, config, key, run_date=RUN_DATE)
    assert stats.sent == [key]
    assert sink.messages[-1]["Message-ID"] == messages[0].message_id
    assert statuses(con)[key] == "sent"
    with pytest.raises(JumelageError, match="only an uncertain or failed"):
        resend(con, config, key)
    with pytest.raises(JumelageError, match="no email"):
        resend(con, config, "proposal-0000000000000000")
    with pytest.raises(ValueError):
        list_emails(con, "lost")


def test_missing_password_keeps_messages_queued_and_never_prompts(tmp_path, sink, monkeypatch):
    import getpass

    import keyring

    def no_prompt(*a, **k):
        raise AssertionError("prompted for a password")

    monkeypatch.setattr(getpass, "getpass", no_prompt)
    monkeypatch.setattr("builtins.input", no_prompt)
    monkeypatch.delenv("JUMELAGE_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr(keyring, "get_password", lambda service, user: None)
    config = make_config(tmp_path, sink.port, user="robot@example.org")
    con = warehouse.connect(config.data_dir)
    with warehouse.transaction(con):
        enqueue(con, sample_messages(config, 2))
    stats = send_queued(con, config)
    assert "JUMELAGE_SMTP_PASSWORD" in stats.error and "keyring" in stats.error
    assert set(list_emails(con)["status"]) == {"queued"} and sink.messages == []
    con.close()


def test_password_from_environment_or_keyring_logs_in(tmp_path, monkeypatch):
    import keyring

    with MailSink(tmp_path / "box", users={"robot@example.org": "s3cret"}) as sink:
        config = make_config(tmp_path, sink.port, user="robot@example.org")
        con = warehouse.connect(config.data_dir)
        with warehouse.transaction(con):
            enqueue(con, sample_messages(config, 2))
        monkeypatch.setenv("JUMELAGE_SMTP_PASSWORD", "wrong")
        stats = send_queued(con, config, retry_delay=0.01)
        assert "login refused" in stats.error and "s3cret" not in stats.error
        assert sink.messages == []
        monkeypatch.delenv("JUMELAGE_SMTP_PASSWORD")
        seen = []
        monkeypatch.setattr(
            keyring, "get_password", lambda service, user: seen.append((service, user)) or "s3cret"
        )
        stats = send_queued(con, config)
        assert len(stats.sent) == 2 and seen == [("jumelage", "robot@example.org")]
        assert sink.logins == ["robot@example.org"]
        stored = con.execute("select * from emails").fetchall()
        assert "s3cret" not in repr(stored)
        con.close()


def test_confirmation_goes_to_both_partners_each_in_their_language(con, config, sink):
    from jumelage.notify import compose_both
    from tests.notify.helpers import MENTEE, MENTOR

    mentee = {**MENTEE, "language": "en"}
    mentor = {**MENTOR, "language": "fr,en"}
    ctx = context_for("confirmation")
    messages = compose_both(
        config, "confirmation", mentee=mentee, mentor=mentor, context=ctx, about="R-1"
    )
    assert [m.recipient for m in messages] == [MENTEE["email"], MENTOR["email"]]
    assert [m.language for m in messages] == ["en", "fr"]
    assert messages[0].email_key != messages[1].email_key
    with warehouse.transaction(con):
        assert len(enqueue(con, messages)) == 2
    send_queued(con, config)
    to_mentee, to_mentor = sink.messages
    assert "It is up to you to contact Jean" in to_mentee.get_body(("plain",)).get_content()
    assert "zoe.cote@example.org" in to_mentor.get_body(("plain",)).get_content()
    assert "personne mentorée qui prend" in to_mentor.get_body(("plain",)).get_content()


@pytest.mark.parametrize("pipelining", [True, False])
def test_temporary_refusal_is_retried_a_bounded_number_of_times(tmp_path, pipelining):
    with MailSink(tmp_path / "box", defer=["mentee0@example.org"], pipelining=pipelining) as sink:
        config = make_config(tmp_path, sink.port)
        con = warehouse.connect(config.data_dir)
        messages = sample_messages(config, 2)
        with warehouse.transaction(con):
            enqueue(con, messages)
        stats = send_queued(con, config, max_attempts_per_run=3)
        assert stats.still_queued == [messages[0].email_key]
        row = get_email(con, messages[0].email_key)
        assert row["status"] == "queued" and row["attempts"] == 3
        assert "451" in row["last_error"]
        assert len(sink.messages) == 1
        sink.defer.clear()  # the next night the mailbox takes it
        assert send_queued(con, config).sent == [messages[0].email_key]
        assert len(sink.messages) == 2
        con.close()


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_refused_recipient_stops_its_message_even_when_its_cc_is_taken(tmp_path, pipelining):
    """Pipelined, DATA is sent before the recipient's refusal is read, and the server may
    accept it for the cc: the message must still go to nobody, and the next one go out."""
    with MailSink(tmp_path / "box", refuse=["mentee0@example.org"], pipelining=pipelining) as sink:
        config = make_config(tmp_path, sink.port)
        con = warehouse.connect(config.data_dir)
        messages = sample_messages(config, 2)
        messages[0] = dataclasses.replace(messages[0], cc=("coord@example.org",))
        with warehouse.transaction(con):
            enqueue(con, messages)
        stats = send_queued(con, config, run_date=RUN_DATE)
        assert stats.failed == [messages[0].email_key]
        assert stats.sent == [messages[1].email_key]
        assert sink.message_ids() == [messages[1].message_id]
        assert sink.envelopes == [("mentorat@example.org", ["mentee1@example.org"])]
        assert "550" in get_email(con, messages[0].email_key)["last_error"]
        con.close()


def test_a_broken_row_fails_alone(con, config, sink):
    messages = sample_messages(config, 2)
    with warehouse.transaction(con):
        enqueue(con, messages)
    con.execute(
        'update emails set inline_images = \'[{"cid": "x"}]\' where email_key = ?',
        [messages[0].email_key],
    ).fetchall()
    stats = send_queued(con, config)
    assert stats.failed == [messages[0].email_key] and stats.sent == [messages[1].email_key]
    assert "cannot build" in get_email(con, messages[0].email_key)["last_error"]
