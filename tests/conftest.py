"""Shared fixtures: a program configuration in a temporary directory, inbox rows, Prefect."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Prefect and GX settings must be in place before they are imported anywhere.
_PREFECT_HOME = tempfile.mkdtemp(prefix="jumelage-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_UI_ENABLED"] = "false"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Failure records of nights that could not start (jumelage.alerts), away from ~/.local/state.
os.environ["JUMELAGE_STATE_DIR"] = tempfile.mkdtemp(prefix="jumelage-state-")

from jumelage.config import Config, load_config  # noqa: E402

BASE_CONFIG = """
[program]
name = "Connexion Cadres"
mailbox = "mentorat@example.org"
coordinators = ["coord@example.org"]
data_dir = "data"

[vocabulary.goals]
leadership = ["leadership", "leadership mobilisateur"]
gestion_changement = ["gestion du changement", "change management"]
strategie = ["pensée stratégique", "strategic thinking"]

[vocabulary.interests]
plein_air = ["plein air", "outdoors"]
lecture = ["lecture", "reading"]
"""

FR_HEADER = [
    "Date_Inscription", "Rôle", "Prénom", "Nom", "Courriel", "Langue", "Organisation", "Unité",
    "Courriel_Supérieur", "Niveau_Encadrement", "Région", "Mode_Rencontre", "Compétences",
    "Objectifs", "Intérêts", "Années_Expérience", "Disponibilités", "Capacité",
    "Mentors_Souhaités", "Durée_Mois", "Consentement",
]  # fmt: skip
EN_HEADER = [
    "submitted_at", "role", "first_name", "last_name", "email", "language", "organization",
    "unit", "manager_email", "management_level", "region", "meeting_mode", "competencies",
    "goals", "interests", "experience_years", "availability", "capacity", "preferred_mentors",
    "duration_months", "consent",
]  # fmt: skip


def reg(**values: str) -> dict[str, str]:
    """A valid mentee registration row (English keys), overridden by `values`."""
    row = {
        "submitted_at": "2026-01-05",
        "role": "mentee",
        "first_name": "Jean",
        "last_name": "Côté",
        "email": "jean.cote@msss.gouv.qc.ca",
        "language": "fr",
        "organization": "MSSS",
        "unit": "",
        "manager_email": "",
        "management_level": "1",
        "region": "",
        "meeting_mode": "",
        "competencies": "",
        "goals": "leadership",
        "interests": "",
        "experience_years": "",
        "availability": "",
        "capacity": "",
        "preferred_mentors": "",
        "duration_months": "",
        "consent": "oui",
    }
    row.update(values)
    return row


def as_french(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The same rows under the French headers."""
    mapping = dict(zip(EN_HEADER, FR_HEADER, strict=True))
    return [{mapping[k]: v for k, v in row.items()} for row in rows]


@pytest.fixture
def program(tmp_path: Path) -> Callable[..., Config]:
    """Write jumelage.toml (BASE_CONFIG + extra TOML) in tmp_path, with its data directory
    (as `jumelage init` makes it: nothing creates it silently), and load it."""

    def make(extra: str = "") -> Config:
        (tmp_path / "data").mkdir(exist_ok=True)
        path = tmp_path / "jumelage.toml"
        path.write_text(BASE_CONFIG + extra, encoding="utf-8")
        return load_config(path)

    return make


@pytest.fixture
def config(program: Callable[..., Config]) -> Config:
    return program()


@pytest.fixture
def inbox(config: Config) -> Path:
    path = config.data_dir / "inbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One ephemeral Prefect server for the few tests that run the real flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
