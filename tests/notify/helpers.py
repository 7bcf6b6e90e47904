"""Shared data for the email tests (fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jumelage.config import Config
from jumelage.notify import OutgoingEmail, compose

RUN_DATE = date(2026, 11, 23)


def make_config(tmp_path: Path, port: int, **smtp: Any) -> Config:
    (tmp_path / "data").mkdir(exist_ok=True)  # as `jumelage init` makes it
    return Config.model_validate(
        {
            "program": {
                "name": "Connexion Cadres",
                "mailbox": "mentorat@example.org",
                "coordinators": ["coord@example.org"],
                "data_dir": str(tmp_path / "data"),
                "language": "fr",
            },
            "smtp": {"host": "127.0.0.1", "port": port, "timeout": 5.0, **smtp},
            "source": tmp_path / "jumelage.toml",
        }
    )


def person(first: str, last: str, email: str, **extra: Any) -> dict[str, Any]:
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "organization": "Ministère des Finances",
        "unit": None,
        "management_level": 2,
        **extra,
    }


MENTEE = person("Zoé", "Côté", "zoe.cote@example.org")
MENTOR = person(
    "Jean",
    "Tremblay",
    "jean.tremblay@example.org",
    organization="Ministère de la Santé",
    management_level=4,
    experience_years=20,
    region="Capitale-Nationale",
)


def context_for(
    kind: str,
    mentee: dict[str, Any] = MENTEE,
    mentor: dict[str, Any] = MENTOR,
    role: str = "mentee",
) -> dict[str, Any]:
    """A complete context for `kind` (every key of KINDS[kind], plus optional ones)."""
    pair = {"mentee": mentee, "mentor": mentor}
    contexts: dict[str, dict[str, Any]] = {
        "proposal": {
            **pair,
            "proposal_id": "P-2026-0042",
            "answer_by": date(2026, 12, 3),
            "shared_competencies": ["leadership", "gestion_changement"],
            "components": {
                "goals": 0.9,
                "interests": 0.5,
                "experience": 0.2,
                "availability": 0.0,
                "cross_organization": 1.0,
                "preference": 0.0,
            },
            "shared_interests": ["randonnée"],
        },
        "proposal_reminder": {
            **pair,
            "proposal_id": "P-2026-0042",
            "answer_by": date(2026, 12, 3),
            "proposed_on": date(2026, 11, 23),
        },
        "confirmation": {
            **pair,
            "recipient_role": role,
            "started_on": date(2026, 12, 1),
            "planned_end_on": date(2027, 12, 1),
            "midpoint_on": date(2027, 6, 1),
        },
        "first_meeting_reminder": {**pair, "started_on": date(2026, 12, 1)},
        "followup": {**pair, "recipient_role": role, "last_event_on": date(2027, 1, 10)},
        "midpoint_review": {
            **pair,
            "recipient_role": role,
            "midpoint_on": date(2027, 6, 1),
            "planned_end_on": date(2027, 12, 1),
        },
        "final_review": {**pair, "recipient_role": role, "planned_end_on": date(2027, 12, 1)},
        "proposal_withdrawn": {
            **pair,
            "proposal_id": "P-2026-0042",
            "reason": "correction",
            "detail": "Niveau d'encadrement corrigé",
        },
        "daily_report": {
            "run_date": RUN_DATE,
            "html_body": "<!DOCTYPE html><html><body><h1>Rapport</h1><p>3 propositions</p>"
            "</body></html>",
            "text_summary": "3 propositions, 2 réponses, 0 courriel en attente.",
        },
        "run_failed": {
            "run_date": RUN_DATE,
            "status": "failed",
            "stage": "match",
            "error": f"RuntimeError: {mentee['first_name']} {mentee['last_name']}",
            "attempts": 2,
            "rerun_command": "jumelage run --config /etc/jumelage/jumelage.toml --date 2026-11-23",
        },
    }
    return contexts[kind]


def sample_messages(config: Config, n: int, kind: str = "proposal") -> list[OutgoingEmail]:
    """`n` distinct proposals to n mentees."""
    messages = []
    for i in range(n):
        mentee = person(f"Mentoré{i}", "Test", f"mentee{i}@example.org")
        ctx = {**context_for(kind, mentee=mentee), "proposal_id": f"P-{i:04d}"}
        messages.append(
            compose(
                config,
                kind,
                to=mentee["email"],
                context=ctx,
                about=f"P-{i:04d}",
                language="fr",
                run_date=RUN_DATE,
            )
        )
    return messages
