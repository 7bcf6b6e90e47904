"""Messages as participants' mail clients write them, and the program they answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import duckdb

from jumelage.config import Config
from jumelage.demo.files import write_csv
from jumelage.mail_in import token
from tests.conftest import reg
from tests.mail_in.conftest import SECRET
from tests.nights import run_night

D0 = date(2026, 3, 2)
MENTEE = "a@x.ca"
MENTOR = "m1@x.ca"
MENTOR_ROW = {"role": "mentor", "management_level": "3", "capacity": "1", "goals": ""}


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def read(config: Config, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def message(
    sender: str,
    body: str = "",
    *,
    subject: str = "RE: Proposition de mentorat",
    html: str | None = None,
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
    when: datetime | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "mentorat@example.org"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when or datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    if body:
        msg.set_content(body)
        if html:
            msg.add_alternative(html, subtype="html")
    elif html:
        msg.set_content(html, subtype="html")
    return bytes(msg)


def sign(ref: str, email: str) -> str:
    return token.sign(SECRET.encode(), ref, email)


def mark(ref: str, answer: str, email: str) -> str:
    return token.marker(SECRET.encode(), ref, answer, email)


def sent(config: Config, kind: str, recipient: str) -> tuple[str, str]:
    """(Message-ID, about) of the latest email of `kind` jumelage wrote to `recipient`."""
    rows = read(
        config,
        "select message_id, about from emails where kind = ? and recipient = ?"
        " order by created_at desc limit 1",
        [kind, recipient],
    )
    assert rows, f"no {kind} email to {recipient}"
    return rows[0]


def propose(config: Config) -> str:
    """One mentee, one mentor, a night: the proposal's id (its email queued)."""
    rows = [reg(email=MENTEE, goals="leadership"),
            reg(email=MENTOR, competencies="leadership", **MENTOR_ROW)]  # fmt: skip
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", rows)
    run_night(config, day(0))
    ((pid, status),) = read(config, "select proposal_id, status from proposals")
    assert status == "proposed"
    return pid


def relate(config: Config, server) -> tuple[str, str]:
    """A proposal accepted by email: (proposal id, relationship id)."""
    pid = propose(config)
    mid, _ = sent(config, "proposal", MENTEE)
    server.deliver(message(MENTEE, "J'accepte, merci !", in_reply_to=mid))
    run_night(config, day(1))
    ((rid,),) = read(config, "select relationship_id from relationships where status = 'active'")
    return pid, rid


def inbound(config: Config) -> list[tuple]:
    return read(
        config,
        "select sender, kind, outcome, reason, event_type, event_ref, moved_to"
        " from inbound_messages order by recorded_at, message_key",
    )
