"""Bad mail at scale: generated messages through a real IMAP server and the `mail_in` stage.

Every message is one of: a good answer (token or reply), a forged sender, a bad token,
broken MIME, an unknown or lying charset, a huge body, nested forwards, HTML and header
injection, binary garbage, an auto-reply, a bounce (well or badly formed). The invariants,
checked after each batch: no traceback, every message recorded once
(read = recorded + to check + auto-replies + bounces), the folder left empty, and no event
from a sender that is not the participant the event is about.

Used by test_fuzz_mail.py (a fast slice) and `python -m tests.reliability.mail_fuzz_campaign`.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

import duckdb

from jumelage.config import Config, load_config
from jumelage.imapserver import ImapServer
from jumelage.mail_in import token
from jumelage.mail_in.imap import open_mailbox
from jumelage.mail_in.stage import read_mailbox

MENTEE, MENTOR = "a@x.ca", "m1@x.ca"
WORDS = [
    "J'accepte", "Je décline", "I accept", "I decline", "Tout va bien", "We have ended",
    "Bilan fait", "Je serai absent", "I'm back", "Je me retire", "bonjour", "merci", "oui",
    "non", "peut-être", "J'accepte... ou plutôt je décline",
]  # fmt: skip
DAY = date(2026, 3, 2)
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "x-unknown-42", "utf-99", "", "koi8-r"]


@dataclass
class Program:
    """What the generated messages answer: a proposal and its email's Message-ID."""

    proposal_id: str
    message_id: str
    secret: bytes


def _headers(rng: random.Random, n: int, sender: str, subject: str, extra: str = "") -> str:
    msgid = f"<fuzz-{n}-{rng.randrange(10**9)}@client.example>"
    if rng.random() < 0.05:
        msgid = ""  # no Message-ID: the key is a hash of the message
    date = format_datetime(datetime(2026, 3, rng.randint(1, 28), 12, 0, tzinfo=UTC))
    if rng.random() < 0.05:
        date = rng.choice(["yesterday", "Mon, 99 Foo 20266 99:99:99", "", "\x00"])
    lines = [f"From: {sender}", "To: mentorat@example.org", f"Subject: {subject}", f"Date: {date}"]
    lines.append(f"X-Fuzz: {n}")  # no two messages alike, even without a Message-ID
    if msgid:
        lines.append(f"Message-ID: {msgid}")
    return "\r\n".join(lines) + ("\r\n" + extra if extra else "") + "\r\n"


def _sender(rng: random.Random) -> str:
    return rng.choice(
        [
            MENTEE, MENTEE.upper(), f"Jean Côté <{MENTEE}>", MENTOR, "intrus@evil.example",
            f'"{MENTEE}" <intrus@evil.example>', "not an address", "", "=?utf-8?b?w6k=?= <>",
            f"{MENTEE}\r\nBcc: x@y.z", "a@x.ca, b@x.ca", "<>",
        ]
    )  # fmt: skip


def message(rng: random.Random, n: int, program: Program) -> bytes:
    """One generated message (always different bytes, so that it is a new message)."""
    pid, mid = program.proposal_id, program.message_id
    shape = rng.choice(
        ["answer", "token", "bad_token", "forged", "mime", "charset", "huge", "nested",
         "html", "header", "garbage", "auto", "bounce", "bounce_bad", "empty"]
    )  # fmt: skip
    word = rng.choice(WORDS)
    sender = _sender(rng) if shape in ("forged", "header") else MENTEE
    if shape == "answer":
        return (_headers(rng, n, sender, "RE: Proposition", f"In-Reply-To: {mid}")
                + f"\r\n{word}\r\n\r\n> J'accepte\r\n").encode()  # fmt: skip
    if shape in ("token", "bad_token"):
        mark = token.marker(program.secret, pid, rng.choice(["accept", "decline", "zz"]), MENTEE)
        if shape == "bad_token":
            mark = mark.replace(
                mark[-6:-1], "".join(rng.choice("0123456789abcdef") for _ in range(5))
            )
        return (_headers(rng, n, sender, f"Proposition {mark}") + f"\r\n{word}\r\n").encode()
    if shape == "forged":
        return (
            _headers(rng, n, sender, "Re: x", f"In-Reply-To: {mid}") + f"\r\n{word}\r\n"
        ).encode()
    if shape == "mime":
        boundary = rng.choice(["B", "", '"', "B" * 200])
        body = rng.choice(
            [
                f"--{boundary}\r\nContent-Type: text/plain\r\n\r\n{word}\r\n",  # never closed
                f"--X\r\nContent-Type: text/plain; charset=\r\n\r\n{word}",
                f"--{boundary}\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--{boundary}--",
                f"--{boundary}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=\r\n",
            ]
        )
        extra = f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\nIn-Reply-To: {mid}'
        return (_headers(rng, n, sender, "Re: mime", extra) + "\r\n" + body).encode()
    if shape == "charset":
        cs = rng.choice(CHARSETS)
        data = word.encode(rng.choice(["utf-8", "latin-1", "utf-16"]), errors="replace")
        extra = f"Content-Type: text/plain; charset={cs}\r\nIn-Reply-To: {mid}"
        subject = f"=?{cs or 'x'}?q?R=E9ponse?= =?utf-8?b?{'w6k' * rng.randint(0, 3)}?="
        return _headers(rng, n, sender, subject, extra).encode() + b"\r\n" + data
    if shape == "huge":
        size = rng.choice([10_000, 300_000, 2_000_000])
        body = (
            (word + " ") * 3 + "x" * size
            if rng.random() < 0.5
            else "\r\n".join(["> q"] * (size // 4))
        )
        return (_headers(rng, n, sender, "Re", f"In-Reply-To: {mid}") + "\r\n" + body).encode()
    if shape == "nested":
        inner = (_headers(rng, n, MENTEE, "inner") + f"\r\n{word}\r\n").encode()
        for depth in range(rng.randint(1, 40)):
            inner = (
                _headers(rng, n, MENTEE, f"Fwd {depth}",
                         f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="N{depth}"')
                + f"\r\n--N{depth}\r\nContent-Type: text/plain\r\n\r\nFwd\r\n--N{depth}\r\n"
                "Content-Type: message/rfc822\r\n\r\n"
            ).encode() + inner + f"\r\n--N{depth}--\r\n".encode()  # fmt: skip
        return inner
    if shape == "html":
        html = rng.choice(
            [
                f"<script>alert(1)</script><p>{word}</p>",
                "<div " + "a" * 100_000 + ">" + word,
                f"<blockquote>{word}<blockquote>",
                f"<p>{word}</p><img src=x onerror=alert(1)><a href='javascript:x'>x</a>",
                "<" * 5000 + word,
            ]
        )
        extra = f"Content-Type: text/html; charset=utf-8\r\nIn-Reply-To: {mid}"
        return (_headers(rng, n, sender, "<b>Re</b>", extra) + "\r\n" + html).encode()
    if shape == "header":
        subject = rng.choice(
            ["x\r\nBcc: all@example.org", "=?utf-8?q?a=0D=0ABcc:_x@y?=", "a" * 5000, "\x00\x01",
             f"[JM {pid} accept {'f' * 20}]"]
        )  # fmt: skip
        return (
            _headers(rng, n, sender, subject, f"In-Reply-To: {mid}\r\nReferences: <<>>")
            + f"\r\n{word}"
        ).encode()
    if shape == "garbage":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))) + f"\r\n{n}".encode()
    if shape == "auto":
        extra = rng.choice(
            ["Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: auto_reply"]
        )
        return (
            _headers(rng, n, sender, "Réponse automatique", f"{extra}\r\nIn-Reply-To: {mid}")
            + "\r\nAbsent\r\n"
        ).encode()
    if shape in ("bounce", "bounce_bad"):
        status = (
            f"Final-Recipient: rfc822; {MENTEE}\r\nAction: failed\r\n"
            if shape == "bounce"
            else rng.choice(
                ["Final-Recipient: ;;;\r\n", "garbage", "Final-Recipient: rfc822; <>\r\n"]
            )
        )
        return (
            _headers(rng, n, "MAILER-DAEMON@mx.example", "Undelivered",
                     'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="D"')
            + "\r\n--D\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--D\r\nContent-Type: message/delivery-status\r\n\r\n"
            + f"Reporting-MTA: dns; mx\r\n\r\n{status}\r\n--D\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            + f"Message-ID: {mid}\r\n\r\n--D--\r\n"
        ).encode()  # fmt: skip
    return f"\r\n\r\n{n}".encode()  # empty: no header at all


def setup(root: Path, server: ImapServer) -> tuple[Config, Program]:
    """A program with one proposal sent to MENTEE, whose mailbox is `server`."""
    from jumelage.demo.files import write_csv
    from tests.conftest import BASE_CONFIG, reg
    from tests.mail_in.conftest import PASSWORD, SECRET, mailbox_section
    from tests.nights import run_night

    os.environ["JUMELAGE_IMAP_PASSWORD"] = PASSWORD
    os.environ["JUMELAGE_SECRET"] = SECRET
    root.mkdir(parents=True, exist_ok=True)
    path = root / "jumelage.toml"
    path.write_text(BASE_CONFIG + mailbox_section(server), encoding="utf-8")
    config = load_config(path)
    mentor = {"role": "mentor", "management_level": "3", "capacity": "1", "goals": ""}
    rows = [
        reg(email=MENTEE, goals="leadership"),
        reg(email=MENTOR, competencies="leadership", **mentor),
    ]
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", rows)
    run_night(config, DAY)
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        ((pid, mid),) = con.execute(
            "select about, message_id from emails where kind = 'proposal'"
        ).fetchall()
    finally:
        con.close()
    return config, Program(pid, mid, SECRET.encode())


def campaign(
    root: Path, messages: int, seed: int, batch: int = 200, *, progress: bool = False
) -> Tally:
    """`messages` generated messages in batches through one server and one warehouse."""
    from jumelage import warehouse

    rng = random.Random(seed)
    tally = Tally()
    with ImapServer("mentorat@example.org", "imap-pass") as server:
        config, program = setup(root, server)
        con = warehouse.connect(config.data_dir)
        try:
            for start in range(0, messages, batch):
                run_batch(
                    con,
                    config,
                    server,
                    program,
                    rng,
                    start,
                    min(batch, messages - start),
                    tally,
                    DAY,
                )
                if progress:
                    print(
                        f"{tally.delivered} messages: {dict(tally.outcomes)}, "
                        f"{len(tally.tracebacks)} tracebacks, {len(tally.violations)} violations",
                        file=sys.stderr,
                        flush=True,
                    )
        finally:
            con.close()
    return tally


@dataclass
class Tally:
    delivered: int = 0
    outcomes: Counter = field(default_factory=Counter)
    tracebacks: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def run_batch(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    server: ImapServer,
    program: Program,
    rng: random.Random,
    start: int,
    count: int,
    tally: Tally,
    run_date: date,
) -> None:
    """Deliver `count` messages, run the stage once, check the invariants."""
    raws = [message(rng, start + i, program) for i in range(count)]
    client = server.client()
    try:
        for raw in raws:
            client.append("INBOX", raw)
    finally:
        client.logout()
    tally.delivered += count
    before = con.execute("select count(*) from inbound_messages").fetchall()[0][0]
    assert config.mailbox_in is not None
    try:
        with open_mailbox(config.mailbox_in) as box:
            result = read_mailbox(con, config, run_date, box, program.secret)
    except Exception as exc:  # the invariant is that this never happens
        import traceback

        tally.tracebacks.append("".join(traceback.format_exception(exc))[-3000:])
        return
    after = con.execute("select count(*) from inbound_messages").fetchall()[0][0]
    tally.outcomes.update(result.outcomes)
    if result.read != sum(result.outcomes.values()) or after - before != result.read:
        tally.violations.append(
            f"read {result.read}, outcomes {dict(result.outcomes)}, rows {after - before}"
        )
    if result.read + result.seen_again != count:
        tally.violations.append(
            f"{count} delivered, {result.read} read, {result.seen_again} seen again"
        )
    if server.messages("INBOX"):
        tally.violations.append("messages left in the folder")
    forged = con.execute(
        "select count(*) from events e join inbound_messages m on e.file_name = m.event_file"
        " where lower(m.sender) <> lower(e.email)"
    ).fetchall()[0][0]
    if forged:
        tally.violations.append(f"{forged} events whose sender is not the participant")
    for folder in (config.mailbox_in.processed_folder, config.mailbox_in.review_folder):
        server.empty(folder)  # keep the in-memory server small over a long campaign
