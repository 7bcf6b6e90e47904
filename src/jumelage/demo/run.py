"""`jumelage demo`: a synthetic program, several simulated nights through the real flow."""

from __future__ import annotations

import os
import secrets
import shutil
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jumelage import models
from jumelage.config import load_config
from jumelage.demo import forms, replies
from jumelage.demo.behaviour import tonight_events
from jumelage.demo.files import write_csv, write_xlsx
from jumelage.demo.program import (
    INTERESTS,
    LABELS_EN,
    VOCABULARY,
    ProgramGenerator,
    night_dates,
    registration_row,
)
from jumelage.errors import JumelageError
from jumelage.imapserver import ImapServer
from jumelage.mail_in.imap import PASSWORD_ENV
from jumelage.mail_in.token import SECRET_ENV
from jumelage.mailsink import MailSink, free_port
from jumelage.vocabulary import UNFIXABLE

MARKER = ".jumelage-demo"
START = date(2026, 9, 1)
FORMS_NIGHT = 3  # that night's registrations come as the Microsoft Forms export


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


MAILBOX = "mentorat@connexion-cadres.example"


def demo_config(
    name: str = "Connexion Cadres (démo)", smtp_port: int = 2525, imap_port: int = 1143
) -> str:
    lines = [
        "# Written by `jumelage demo`: a synthetic program. Try the other commands with",
        "# --config pointing at this file.",
        "[program]",
        f'name = "{name}"',
        f'mailbox = "{MAILBOX}"',
        'coordinators = ["coordination@connexion-cadres.example"]',
        'timezone = "America/Montreal"',
        'data_dir = "data"',
        "",
        "[smtp]",
        'host = "127.0.0.1"',
        f"port = {smtp_port}",
        "",
        "# The program mailbox, where participants' answers arrive: for the demo an IMAP",
        "# server in memory (pymap) that lives as long as the demo runs.",
        "[mailbox_in]",
        'host = "127.0.0.1"',
        f"port = {imap_port}",
        'security = "none"',
        f'user = "{MAILBOX}"',
        "",
        "[vocabulary.goals]",
        *(f"{tag} = {_toml_list(labels)}" for tag, labels in VOCABULARY.items()),
        "",
        "[vocabulary.interests]",
        *(f"{tag} = {_toml_list(labels)}" for tag, labels in INTERESTS.items()),
        "",
        "# What a tag is called in the emails of people who read English.",
        "[vocabulary.labels.en]",
        *(f'{tag} = "{label}"' for tag, label in LABELS_EN.items()),
        "",
        "# The registration form on Microsoft Forms: its questions and choice texts.",
        *forms.inbox_sections(),
    ]
    return "\n".join(lines) + "\n"


def prepare(directory: Path, smtp_port: int = 2525, imap_port: int = 1143) -> Path:
    """Write `<dir>/jumelage.toml` and an empty data directory; a previous demo is replaced."""
    directory = directory.resolve()
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise JumelageError(f"{directory} exists and is not a jumelage demo; choose another --dir")
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / MARKER).write_text("built by jumelage demo\n", encoding="utf-8")
    config_path = directory / "jumelage.toml"
    config_path.write_text(demo_config(smtp_port=smtp_port, imap_port=imap_port), encoding="utf-8")
    tomllib.loads(config_path.read_text(encoding="utf-8"))
    return config_path


def _bad_rows(gen: ProgramGenerator, day: date) -> list[dict[str, str]]:
    """The mistakes a program office's form export really contains."""
    rows = []
    for fix in ("no_email", "level", "consent", "role", "date"):
        row = registration_row(gen.person("mentee", day), gen)
        if fix == "no_email":
            row["courriel"] = ""
        elif fix == "level":
            row["niveau_encadrement"] = "7"
        elif fix == "consent":
            row["consentement"] = "non"
        elif fix == "role":
            row["rôle"] = "stagiaire"
        else:
            row["date_inscription"] = "31/09/2026"
        rows.append(row)
    return rows


def _write(inbox: Path, name: str, rows: list[dict[str, str]], dialect: int) -> Path:
    """Rotate through the dialects spreadsheet tools produce: Excel CSV, UTF-8 BOM CSV, XLSX."""
    if dialect == 0:
        return write_csv(
            inbox / f"{name}.csv", rows, encoding="cp1252", separator=";", newline="\r\n"
        )
    if dialect == 1:
        return write_csv(inbox / f"{name}.csv", rows, bom=True)
    return write_xlsx(inbox / f"{name}.xlsx", rows)


def drop_night_files(
    inbox: Path, gen: ProgramGenerator, night: int, day: date, written: dict[str, tuple]
) -> list[str]:
    """Tonight's files, in a rotating spreadsheet dialect; returns their names."""
    rng = gen.rng
    mentors = 12 if night == 0 else rng.randint(0, 3)
    mentees = 20 if night == 0 else rng.randint(1, 5)
    if night == FORMS_NIGHT:
        mentors, mentees = 2, 4
    people = [gen.person("mentor", day) for _ in range(mentors)]
    people += [gen.person("mentee", day) for _ in range(mentees)]
    if night == FORMS_NIGHT and people:
        name = f"inscriptions-formulaire-{day.isoformat()}.xlsx"
        return [forms.write_export(inbox / name, people, gen).name]
    rows = [registration_row(p, gen) for p in people]
    if night % 3 == 1:
        rows += _bad_rows(gen, day)[rng.randint(0, 4) :][:2]
    if people and night % 4 == 2:  # someone submits the form twice: the later one wins
        again = dict(rows[len(people) - 1])
        again["date_inscription"] = again["date_inscription"][:11] + "23:59"
        again["disponibilités"] = "lun-am;mar-pm;yoga-pm"
        rows.append(again)
    if not rows:
        return []
    path = _write(inbox, f"inscriptions-{day.isoformat()}", rows, night % 3)
    written[path.name] = (path.stem, rows, night % 3)
    return [path.name]


def correct_a_file(inbox: Path, written: dict[str, tuple]) -> str | None:
    """A coordinator fixes the level typed as 7 in the first file that had one, drops it again."""
    for stem, rows, dialect in written.values():
        if any(r["niveau_encadrement"] == "7" for r in rows):
            fixed = [
                r | {"niveau_encadrement": "2"} if r["niveau_encadrement"] == "7" else r
                for r in rows
            ]
            return _write(inbox, stem, fixed, dialect).name
    return None


def run_demo(directory: Path, nights: int = 60, seed: int = 7) -> None:
    """Build the demo and run `nights` nights of the real Prefect flow, one after the other.

    The story: registrations arrive continuously in every spreadsheet dialect (with mistakes),
    mentees answer, pairs meet, someone is absent, someone changes organization, a coordinator
    corrects a file and reprocesses that night, and the mail server is down for one night.
    """
    from jumelage.flow import nightly

    # The demo's own secrets, for this process only: a real program keeps them in the
    # environment of its service or in the system keyring.
    os.environ.setdefault(SECRET_ENV, secrets.token_hex(32))
    password = os.environ.setdefault(PASSWORD_ENV, secrets.token_hex(8))
    with ImapServer(MAILBOX, password) as imap:
        config_path = prepare(directory, smtp_port=free_port(), imap_port=imap.port)
        data_dir = config_path.parent / "data"
        (data_dir / "inbox").mkdir(parents=True)
        print(f"demo: program written to {config_path}")
        config = load_config(config_path)
        story = _Story(config_path, ProgramGenerator(seed), nights, nightly)
        with MailSink(
            data_dir / "outbox",
            host=config.smtp.host,
            port=config.smtp.port,
            forward={MAILBOX: imap.deliver},
        ) as sink:
            story.tell(sink)
    _print_summary(data_dir, config_path)


class _Story:
    def __init__(
        self, config_path: Path, gen: ProgramGenerator, nights: int, nightly: Callable[..., dict]
    ) -> None:
        self.config_path = config_path
        self.inbox = config_path.parent / "data" / "inbox"
        self.gen = gen
        self.nights = nights
        self.nightly = nightly
        self.written: dict[str, tuple] = {}
        self.outage_night = min(12, nights - 2)
        self.correction_night = nights // 2

    def _events(self, night: int, day: date) -> list[str]:
        if night == 0:
            return []
        con = duckdb.connect(str(self.config_path.parent / "data" / "warehouse.duckdb"))
        try:
            rows = tonight_events(con, self.gen.rng, day, night)
        finally:
            con.close()
        if not rows:
            return []
        path = write_csv(
            self.inbox / f"evenements-{day.isoformat()}.csv",
            rows,
            encoding="cp1252",
            separator=";",
            newline="\r\n",
        )
        return [f"{path.name} ({len(rows)})"]

    def _replies(self, sink: MailSink, night: int, day: date) -> list[str]:
        """Tonight's answers by email to what people received, sent through the sink."""
        if night == 0:
            return []
        con = duckdb.connect(str(self.config_path.parent / "data" / "warehouse.duckdb"))
        try:
            items = replies.awaited(con, day)
        finally:
            con.close()
        rng, messages, out = self.gen.rng, list(sink.messages), []
        for item in items:
            original = replies.find(messages, item.message_id)
            waited = (day - item.since).days
            answer = replies.choose(rng, item, waited) if original and waited >= 1 else None
            if original is None or answer is None:
                continue
            if answer == "out_of_office":
                out.append(replies.out_of_office(item, day))
                continue
            # on the fourth night an assistant answers for their manager once: to check
            assistant = (
                answer == "accept"
                and night == 3
                and not any("adjointe." in str(m["From"]) for m in out)
            )
            sender = "adjointe." + item.email if assistant else None
            out.append(replies.reply(rng, item, original, day, answer, sender=sender))
        config = load_config(self.config_path)
        replies.send(config.smtp.host, config.smtp.port, config.program.mailbox, out)
        return [f"{len(out)} email(s) to the program mailbox"] if out else []

    def _run(self, day: date, **extra: object) -> dict:
        return self.nightly(run_date=day, config_path=str(self.config_path), **extra)

    def tell(self, sink: MailSink) -> None:
        """Every night in turn, with a progress bar (plain lines when not on a terminal)."""
        with Progress(
            TextColumn("[bold]demo[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ) as progress:
            bar = progress.add_task("nights", total=self.nights)
            for night, day in enumerate(night_dates(START, self.nights)):
                progress.update(bar, description=str(day))
                self._night(
                    sink, night, day, lambda line: progress.console.print(line, soft_wrap=True)
                )
                progress.advance(bar)

    def _night(self, sink: MailSink, night: int, day: date, say: Callable[[str], None]) -> None:
        dropped = drop_night_files(self.inbox, self.gen, night, day, self.written)
        dropped += self._events(night, day)
        dropped += self._replies(sink, night, day)
        outage = night == self.outage_night
        if outage:
            sink.stop()
        summary = self._run(day)
        if outage:
            sink.start()
            dropped.append("SERVEUR SMTP EN PANNE")
        say(escape(_night_line(day, dropped, summary)))
        if night == self.correction_night:
            corrected = correct_a_file(self.inbox, self.written)
            if corrected:
                summary = self._run(day, reprocess=True)
                say(escape(_night_line(day, [f"{corrected} (correction) → reprocess"], summary)))


def _night_line(day: date, dropped: list[str], summary: dict) -> str:
    files = summary["files"]
    queued = f", {summary['emails_queued']} queued" if summary["emails_queued"] else ""
    return (
        f"{summary['kind']} {day}: {', '.join(dropped) or 'no new file'}\n"
        f"    rows {sum(f['accepted'] for f in files)} accepted, "
        f"{sum(f['quarantined'] for f in files)} quarantined, "
        f"{sum(f['superseded'] for f in files)} superseded; events applied "
        f"{summary.get('events_applied', 0)}; pool {summary['mentees_active']} mentees, "
        f"{summary['mentors_active']} mentors; {summary['proposals']} proposal(s); "
        f"emails {summary['emails_sent']} sent{queued}{_mail_in_line(summary)}"
    )


def _mail_in_line(summary: dict) -> str:
    mail = summary.get("mail_in") or {}
    if not mail.get("read"):
        return ""
    return (
        f"\n    answers by email: {mail['read']} read, {mail.get('recorded', 0)} recorded, "
        f"{mail.get('to_check', 0)} to check, {mail.get('auto_reply', 0)} auto-replies"
    )


#: How the demo's summary names what came by email (events.source = 'email', outcomes).
_BY_EMAIL = (
    ("proposal_accepted", "accepts"),
    ("proposal_declined", "declines"),
    ("meeting_held", "meetings held (first meetings, all is well)"),
    ("midpoint_review_done", "mid-point reviews"),
    ("final_review_done", "final reviews"),
    ("relationship_ended", "endings"),
    ("absence_started", "absences"),
    ("absence_ended", "returns"),
    ("withdrew", "withdrawals"),
)


def _print_answers(by_email: dict[str, int], report: Path | None, config_path: Path) -> None:
    """What came by email, and where a coordinator sees it."""
    applied = ", ".join(f"{by_email[code]} {name}" for code, name in _BY_EMAIL if code in by_email)
    print(
        f"\nanswers by email (events with source 'email', no events file for them): "
        f"{applied or 'none'}; {by_email.get('to_check', 0)} to check, "
        f"{by_email.get('auto_reply', 0)} auto-replies, {by_email.get('bounced', 0)} bounces"
    )
    print(
        "  see them in each daily report: « Réponses reçues par courriel » (section « La nuit »)"
        " and « Réponses à vérifier » (section « À traiter »)"
        + (f", e.g. {report}" if report else "")
    )
    print(
        f"  or every message read: jumelage sql --config {config_path} "
        '"select received_at, sender, outcome, event_type, reason from inbound_messages '
        'order by received_at"'
    )


def _print_summary(data_dir: Path, config_path: Path) -> None:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        params = {"run_date": date.max, "unfixable": [str(code) for code in UNFIXABLE]}
        quarantined = models.relation(con, "demo/rows_to_fix", params).fetchall()
        by_email = dict(models.relation(con, "demo/answers_by_email").fetchall())
    finally:
        con.close()
    print(f"\n{len(quarantined)} quarantined rows to fix (in the file, then drop it again):")
    for source, row, reasons in quarantined[:8]:
        print(f"  {source} row {row}: {'; '.join(reasons)}")
    if len(quarantined) > 8:
        print(f"  … and {len(quarantined) - 8} more: see the daily report")
    emails = sorted((data_dir / "outbox").glob("*.eml"))
    print(f"\nemails delivered to the local sink: {len(emails)} in {data_dir / 'outbox'}")
    reports = sorted((data_dir / "reports").glob("report-*.html"))
    if reports:
        print(f"last daily report: {reports[-1]}")
    _print_answers(by_email, reports[-1] if reports else None, config_path)
    print(f"proposals for the committee: {data_dir / 'reports'}/proposals-*.csv")
    print(f"warehouse: {data_dir / 'warehouse.duckdb'}")
    print(f"try: jumelage run --config {config_path} --date {date.today().isoformat()}")
