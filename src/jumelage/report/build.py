"""Build the daily report of a run date: numbers from sql/report, charts, HTML page."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl
from jinja2 import Environment

if TYPE_CHECKING:
    from jumelage.whatif.suggest import Suggestion

from jumelage import words
from jumelage.config import Config
from jumelage.quarantine import from_json
from jumelage.report import charts, health
from jumelage.report.nearest import nearest_candidates
from jumelage.report.queries import run_all
from jumelage.report.words import fixes_for
from jumelage.report.workbook import workbook_path, write_workbook
from jumelage.templating import environment, longdate
from jumelage.vocabulary import COMPONENTS, EmailStatus, ProposalStatus, RelationshipStatus

#: Rows a list of the page (and of the email's text) shows at most: a launch night's 10,000
#: proposals and waiting mentees would make a page of many megabytes, mailed to every
#: coordinator. The workbook of the night holds every row.
REPORT_ROWS = 200

#: Queries whose content decides whether a corrected report says something new (the email
#: tables are left out: sending the report itself changes them).
FINGERPRINT_QUERIES = (
    "todo_runs",
    "todo_flags",
    "todo_quarantine",
    "night_files",
    "night_events",
    "night_unknown_values",
    "pool_waiting",
    "pool_mentors",
    "proposals_tonight",
    "proposals_answers",
    "relationships",
)


@dataclass(frozen=True)
class Report:
    """A rendered report: where it was written, its HTML, and its key numbers."""

    run_date: date
    path: Path
    html: str
    markdown: str  # short summary for the Prefect artifact (key numbers + path)
    text: str  # plain-text summary for the email's text part
    numbers: dict[str, int | float | None] = field(default_factory=dict)
    corrected: bool = False
    fingerprint: str = ""  # hash of the report's data, without the email tables
    workbook: Path | None = None  # reports/jumelage-YYYY-MM-DD.xlsx, the same night for Excel


def report_path(config: Config, run_date: date) -> Path:
    return config.data_dir / "reports" / f"report-{run_date.isoformat()}.html"


@cache
def _environment(lang: str) -> Environment:
    env = environment("report", lang, autoescape=True)
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v) * 100:.0f} %"
    env.filters["score"] = lambda v: "" if v is None else f"{float(v):.2f}"
    health.add_filters(env, lang)
    return env


@cache
def _text_environment(lang: str) -> Environment:
    """The plain-text part's templates: the report's filters, nothing escaped. Built once
    per language, like the page's (`_environment`): compiling templates costs more than
    rendering them."""
    env = environment("report", lang, autoescape=False, keep_trailing_newline=True)
    env.filters["score"] = lambda v: "" if v is None else f"{float(v):.2f}"
    return env


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _sum(frame: pl.DataFrame, column: str) -> int:
    return int(frame[column].sum() or 0) if frame.height else 0


def _numbers(q: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """The key numbers, each one a plain aggregate of one report query."""
    emails, flags = q["todo_emails"], q["todo_flags"]
    files, waiting, mentors = q["night_files"], q["pool_waiting"], q["pool_mentors"]
    proposals, rel = q["proposals_tonight"], q["relationships"]
    days = waiting["days_waiting"].to_list()
    n: dict[str, Any] = {
        "todo_emails_uncertain": emails.filter(pl.col("status") == EmailStatus.UNCERTAIN).height,
        "todo_emails_failed": emails.filter(pl.col("status") == EmailStatus.FAILED).height,
        "todo_runs": q["todo_runs"].height,
        "todo_flags": flags.height,
        "todo_quarantine_rows": q["todo_quarantine"].height,
        "todo_answers": q["todo_answers"].height,
        "night_answers_recorded": q["night_answers"].filter(pl.col("outcome") == "recorded").height,
        "night_files": files.height,
        "night_rows_read": _sum(files, "rows_read"),
        "night_rows_accepted": _sum(files, "rows_accepted"),
        "night_rows_quarantined": _sum(files, "rows_quarantined"),
        "night_rows_superseded": _sum(files, "rows_superseded"),
        "night_events_applied": _sum(
            q["night_events"].filter(pl.col("outcome") == "applied"), "events"
        ),
        "night_unknown_values": q["night_unknown_values"].height,
        "night_set_aside": q["night_set_aside"].height,
        "pool_mentees_waiting": waiting.height,
        "pool_median_wait_days": int(statistics.median(days)) if days else None,
        "pool_max_wait_days": max(days) if days else None,
        "pool_unmatched_tonight": waiting.filter(pl.col("reason").is_not_null()).height,
        "pool_mentors_active": mentors.height,
        "pool_free_capacity": _sum(mentors, "free_capacity"),
        "proposals_tonight": proposals.filter(pl.col("made_tonight")).height,
        "proposals_pending_approval": proposals.filter(
            pl.col("status") == ProposalStatus.PENDING_APPROVAL
        ).height,
        "proposals_answers": q["proposals_answers"].height,
        "relationships_active": rel.filter(pl.col("status") == RelationshipStatus.ACTIVE).height,
        "relationships_started": rel.filter(pl.col("started_tonight")).height,
        "relationships_ended": rel.filter(pl.col("ended_tonight")).height,
        "relationships_flagged": rel.filter(pl.col("open_flags").list.len() > 0).height,
    }
    for column in ("queued_tonight", "sent_tonight", "failed_tonight", "queued", "uncertain"):
        n[f"emails_{column}"] = _sum(q["emails"], column)
    n["emails_failed"] = _sum(q["emails"], "failed")
    n["todo_total"] = (
        n["todo_runs"]
        + n["todo_emails_uncertain"]
        + n["todo_emails_failed"]
        + n["todo_flags"]
        + n["todo_quarantine_rows"]
        + n["todo_answers"]
    )
    return n


def _fingerprint(q: dict[str, pl.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name in FINGERPRINT_QUERIES:
        frame = q[name]
        digest.update(name.encode())
        digest.update(json.dumps(frame.to_dicts(), default=str, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def _charts(q: dict[str, pl.DataFrame], config: Config, t: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    history = q["pool_history"].sort("run_date")
    if history.height:
        series = {
            t["legend_mentees"]: history["mentees_waiting"].to_list(),
            t["legend_free"]: history["free_capacity"].to_list(),
        }
        out["pool"] = charts.pool_over_time(history["run_date"].to_list(), series)
    waiting = q["pool_waiting"]
    if waiting.height:
        out["wait"] = charts.waiting_times(
            waiting["days_waiting"].to_list(),
            {"bucket_first": t["bucket_first"], "bucket_last": t["bucket_last"], "days": t["days"]},
        )
    weekly = q["proposals_weekly"]
    active = weekly.filter((pl.col("proposals") + pl.col("acceptances")) > 0)
    if active.height:  # from the first week with activity (a young program: fewer bars)
        weekly = weekly.filter(pl.col("week") >= active["week"].min())
    if _sum(weekly, "proposals") or _sum(weekly, "acceptances"):
        series = {
            t["legend_proposals"]: weekly["proposals"].to_list(),
            t["legend_accepted"]: weekly["acceptances"].to_list(),
        }
        out["weekly"] = charts.weekly_proposals(weekly["week"].to_list(), series, t["week_of"])
    scores = q["proposals_scores"]
    if scores.height:
        out["scores"] = charts.score_distribution(
            # at the precision scores are compared at: 0.29999999999999993 is 0.3
            [round(score, 9) for score in scores["score"].to_list()],
            scores["made_tonight"].to_list(),
            config.matching.min_score,
            {
                "earlier": t["legend_earlier"],
                "tonight": t["legend_tonight"],
                "min_score": t["legend_min_score"],
                "score": t["score"],
            },
        )
    return out


def _explained(frame: pl.DataFrame, config: Config, lang: str) -> list[dict[str, Any]]:
    """Each proposal with `why`: its non-zero components in words, weightiest first."""
    weights = config.matching.weights.normalized()
    labels = words.group(lang, "component")
    rows = []
    for row in _rows(frame):
        parts = [
            (weights[name] * float(row[f"score_{name}"] or 0), labels[name], row[f"score_{name}"])
            for name in COMPONENTS
        ]
        why = [(label, value) for weight, label, value in sorted(parts, key=lambda p: -p[0])
               if weight > 0]  # fmt: skip
        rows.append({**row, "why": why})
    return rows


def _quarantine_rows(frame: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Each row with its reasons as written, and the fixes its reason codes call for."""
    rows = []
    for row in _rows(frame):
        fixes = fixes_for(from_json(row["reason_codes"]), lang)
        rows.append({**row, "reasons": list(row["reasons"] or []), "fixes": fixes})
    return rows


def _summary_lines(n: dict[str, Any], t: Mapping[str, str]) -> list[tuple[str, Any]]:
    return [
        (t["todo_items"], n["todo_total"]),
        (t["files_read"], n["night_files"]),
        (t["rows_accepted"], n["night_rows_accepted"]),
        (t["rows_quarantined"], n["night_rows_quarantined"]),
        (t["mentees_waiting"], n["pool_mentees_waiting"]),
        (t["free_capacity"], n["pool_free_capacity"]),
        (t["proposals_made"], n["proposals_tonight"]),
        (t["rel_active"], n["relationships_active"]),
        (t["sent_tonight"], n["emails_sent_tonight"]),
        (t["queued"], n["emails_queued"]),
        (t["uncertain"], n["emails_uncertain"]),
    ]


def emails_waiting(config: Config, queued: int, run_date: date, lang: str) -> str | None:
    """What the report says of queued emails: how many wait and when they will go, under
    `[smtp] max_per_run` (a number a night) or `max_per_minute`; else the generic note."""
    if not queued:
        return None
    smtp = config.smtp
    if smtp.max_per_run:
        nights = -(-queued // smtp.max_per_run)
        last = longdate(run_date + timedelta(days=nights), lang)
        return words.say(
            lang,
            "report",
            "emails_wait_per_run",
            queued=queued,
            per_run=smtp.max_per_run,
            last=last,
        )
    if smtp.max_per_minute:
        minutes = -(-queued // smtp.max_per_minute)
        return words.say(
            lang,
            "report",
            "emails_wait_per_minute",
            queued=queued,
            per_minute=smtp.max_per_minute,
            minutes=minutes,
        )
    return words.say(lang, "report", "emails_note")


def build_report(
    con: duckdb.DuckDBPyConnection,
    config: Config,
    run_date: date,
    *,
    corrected: bool = False,
    previous: str | None = None,
    suggestions: Sequence[Suggestion] = (),
    mailbox_error: str | None = None,
) -> Report:
    """Render `<data_dir>/reports/report-YYYY-MM-DD.html` from the warehouse (read only), and
        the same night's workbook for Excel, `reports/jumelage-YYYY-MM-DD.xlsx`.

        In French, or English when the program's language is `en`. `corrected` marks a report
        rewritten by a reprocessing, unless it says the same as the report written before
        (`previous`, its fingerprint). `suggestions`: the changes that would match more people
        (`jumelage.whatif.suggest`). `mailbox_error`: why the program mailbox could not be read
    tonight (`mail_in`), an item to deal with: answers wait there unread until it is fixed.
    Returns the Report (path, html, summaries, numbers).
    """
    lang = config.program.language
    t = words.group(lang, "report")
    q = run_all(con, config, run_date)
    fingerprint = _fingerprint(q)
    corrected = corrected and fingerprint != previous
    n = _numbers(q)
    n["todo_mailbox"] = int(mailbox_error is not None)
    n["todo_total"] += n["todo_mailbox"]
    relationships = q["relationships"].filter(
        pl.col("started_tonight") | pl.col("ended_tonight") | (pl.col("open_flags").list.len() > 0)
    )
    flags_by_kind: dict[str, list[dict[str, Any]]] = {}
    for flag in _rows(q["todo_flags"]):
        flags_by_kind.setdefault(flag["kind"], []).append(flag)
    context = {
        "lang": lang,
        "t": t,
        "program": config.program,
        "run_date": run_date,
        "corrected": corrected,
        "n": n,
        "require_approval": config.program.require_approval,
        "todo_runs": _rows(q["todo_runs"]),
        "run_status": words.group(lang, "run_status"),
        "rerun": t["rerun"].format(config=config.source),
        "todo_emails": _rows(q["todo_emails"]),
        "flags_by_kind": flags_by_kind,
        "flag_labels": words.group(lang, "flag_kind"),
        "flag_actions": words.group(lang, "flag_action"),
        "quarantine": _quarantine_rows(q["todo_quarantine"], lang),
        "todo_answers": _rows(q["todo_answers"]),
        "mailbox_error": mailbox_error,
        "answer_issues": words.group(lang, "answer_issue"),
        "night_answers": _rows(q["night_answers"]),
        "event_types": words.group(lang, "answer_event"),
        "event_names": words.group(lang, "event_type"),
        "event_outcomes": words.group(lang, "event_outcome"),
        "resubmit": t["resubmit"],
        "files": _rows(q["night_files"]),
        "events": _rows(q["night_events"]),
        "unknown_values": _rows(q["night_unknown_values"]),
        "set_aside": _rows(q["night_set_aside"]),
        "waiting": _rows(q["pool_waiting"]),
        "nearest": nearest_candidates(con, config, run_date),
        "reasons": words.group(lang, "unmatched"),
        "mentors": _rows(q["pool_mentors"]),
        "unknown_managers": _rows(q["pool_unknown_managers"]),
        "proposals": _explained(q["proposals_tonight"], config, lang),
        "answers": _rows(q["proposals_answers"]),
        "components": words.group(lang, "component"),
        "weights": config.matching.weights.normalized(),
        "proposal_status": words.group(lang, "proposal_status"),
        "relationship_status": words.group(lang, "relationship_status"),
        "relationships": _rows(relationships),
        "emails": _rows(q["emails"]),
        "emails_wait": emails_waiting(config, n["emails_queued"], run_date, lang),
        "email_kinds": words.group(lang, "email_kind"),
        "email_status": words.group(lang, "email_status"),
        "charts": _charts(q, config, t),
        "summary": _summary_lines(n, t),
        "suggestions": suggestions,
        "mentor_names": dict(q["pool_mentors"].select("email", "name").iter_rows()),
        "waiting_for": _rows(q["pool_waiting_for"]),
        "s": words.group(lang, "suggest"),
        "h": words.group(lang, "health"),
        "health": health.context(q),
        "row_limit": REPORT_ROWS,
        "workbook_name": workbook_path(config, run_date).name,
        "sheets": words.group(lang, "workbook_sheet"),
    }
    env = _environment(lang)
    html = env.get_template("report.html").render(context)
    path = report_path(config, run_date)
    _write(path, html)
    health.write_month(config, run_date, q, env)
    workbook = write_workbook(con, config, run_date)
    title = f"{t['title']} — {config.program.name} — {longdate(run_date, lang)}"
    if corrected:
        title += f" ({t['corrected'].lower()})"
    markdown = artifact_markdown(title, context, path)
    text = (
        _text_environment(lang)
        .get_template("report.txt")
        .render({**context, "title": title, "path": path})
    )
    return Report(
        run_date=run_date,
        path=path,
        html=html,
        markdown=markdown,
        text=text,
        numbers=n,
        corrected=corrected,
        fingerprint=fingerprint,
        workbook=workbook,
    )


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A markdown table; cells on one line, pipes escaped."""

    def cell(value: Any) -> str:
        return " ".join(str("" if value is None else value).split()).replace("|", "\\|")

    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows),
        "",
    ]


def artifact_markdown(title: str, c: Mapping[str, Any], path: Path) -> str:
    """The Prefect artifact: what is to be done first, then the key numbers, then where the
    full page is (the report itself, with its charts, is the file)."""
    t, n = c["t"], c["n"]
    out = [f"# {title}", "", f"## {t['todo']} ({n['todo_total']})", ""]
    if not n["todo_total"]:
        out += [t["nothing_todo"], ""]
    if c["mailbox_error"]:
        out += [f"### {t['mailbox_unread']}", "", c["mailbox_error"], ""]
        out += [t["mailbox_unread_note"], ""]
    if c["todo_runs"]:
        out += [f"### {t['runs_to_redo']}", ""]
        out += _table(
            [t["night_of"], t["status"], t["stage"], t["error"]],
            [[r["run_date"], c["run_status"].get(r["status"], r["status"]), r["stage"],
              r["error"]] for r in c["todo_runs"]],
        )  # fmt: skip
    if c["todo_emails"]:
        out += [f"### {t['emails_to_decide']}", ""]
        out += _table(
            [t["status"], t["kind"], t["recipient"], t["command"]],
            [[c["email_status"].get(e["status"], e["status"]),
              c["email_kinds"].get(e["kind"], e["kind"]), e["recipient"],
              f"`jumelage emails resend {e['email_key']}`"] for e in c["todo_emails"]],
        )  # fmt: skip
    if c["flags_by_kind"]:
        out += [f"### {t['flags']}", ""]
        out += _table(
            [t["kind"], t["mentee"], t["mentor"], t["due_on"], t["days_overdue"]],
            [[c["flag_labels"].get(kind, kind), f["mentee_name"], f["mentor_name"],
              f["due_on"], f["days_overdue"]]
             for kind, flags in c["flags_by_kind"].items() for f in flags],
        )  # fmt: skip
    if c["quarantine"]:
        out += [f"### {t['quarantine']}", ""]
        out += _table(
            [t["file"], t["row"], t["reasons"]],
            [[r["source_file"], r["row_number"], "; ".join(r["reasons"])]
             for r in c["quarantine"]],
        )  # fmt: skip
    out += [f"## {t['key_numbers']}", ""]
    out += _table([t["count"], ""], [[value, label] for label, value in c["summary"]])
    out += [f"{t['full_report']}{t['colon']}`{path}`", ""]
    return "\n".join(out)


def _write(path: Path, html: str) -> None:
    """Atomically: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
