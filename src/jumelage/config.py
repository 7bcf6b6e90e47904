"""The TOML configuration (SPEC §9), validated before anything is read or written."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jumelage.errors import ConfigError
from jumelage.normalize import fold

EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"']+@[^@\s<>(),;:\"']+\.[^@\s<>(),;:\"'.]{2,}$")
SECRET_KEYS = {"password", "pass", "passwd", "mot_de_passe", "secret"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _check_email(value: str) -> str:
    if not EMAIL_RE.match(value.strip()):
        raise ValueError(f"not an email address: {value!r}")
    return value.strip().lower()


class ProgramConfig(_Strict):
    name: Annotated[str, Field(min_length=1)]
    mailbox: str
    coordinators: Annotated[list[str], Field(min_length=1)]
    timezone: str = "America/Montreal"
    schedule: str = "30 1 * * *"
    data_dir: str = "data"
    language: Literal["fr", "en"] = "fr"
    management_levels: Annotated[int, Field(ge=1, le=20)] = 5
    require_approval: bool = False

    _mailbox = field_validator("mailbox")(_check_email)

    @field_validator("coordinators")
    @classmethod
    def _coordinators(cls, value: list[str]) -> list[str]:
        return [_check_email(v) for v in value]

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError(f"expected a 5-field cron expression, got {value!r}")
        return value


class SmtpConfig(_Strict):
    host: str = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    security: Literal["none", "starttls", "ssl"] = "none"
    user: str = ""
    timeout: Annotated[float, Field(gt=0)] = 30.0
    max_per_minute: Annotated[int, Field(ge=0)] = 0  # 0: no limit (e.g. 30 for Microsoft 365)
    max_per_run: Annotated[int, Field(ge=0)] = 0  # 0: no limit; the rest stays queued


class Weights(_Strict):
    goals: Annotated[float, Field(ge=0)] = 0.40
    interests: Annotated[float, Field(ge=0)] = 0.15
    experience: Annotated[float, Field(ge=0)] = 0.15
    availability: Annotated[float, Field(ge=0)] = 0.15
    cross_organization: Annotated[float, Field(ge=0)] = 0.05
    preference: Annotated[float, Field(ge=0)] = 0.10

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be positive")
        return self

    def normalized(self) -> dict[str, float]:
        """Weights scaled to sum to 1 (the configuration need not)."""
        raw = self.model_dump()
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


class MatchingConfig(_Strict):
    min_score: Annotated[float, Field(ge=0, le=1)] = 0.30
    min_level_gap: Annotated[int, Field(ge=0)] = 1
    max_capacity: Annotated[int, Field(ge=1, le=100)] = 5
    weights: Weights = Weights()


class DelaysConfig(_Strict):
    proposal_reminder: Annotated[int, Field(ge=1)] = 5
    proposal_expiry: Annotated[int, Field(ge=1)] = 10
    first_meeting: Annotated[int, Field(ge=1)] = 21
    stale_after: Annotated[int, Field(ge=1)] = 45
    default_duration_months: Annotated[int, Field(ge=1, le=120)] = 12

    @model_validator(mode="after")
    def _reminder_before_expiry(self) -> DelaysConfig:
        if self.proposal_reminder >= self.proposal_expiry:
            raise ValueError("proposal_reminder must be shorter than proposal_expiry")
        return self


Vocabulary = dict[str, list[str]]


class VocabularyConfig(_Strict):
    goals: Vocabulary = {}
    competencies: Vocabulary | None = None
    interests: Vocabulary = {}
    # region = [synonyms]; regions are compared ignoring case, accents and separators anyway
    regions: Vocabulary = {}

    def for_field(self, field: str) -> Vocabulary:
        """Competencies default to the goals vocabulary so that both stay comparable."""
        if field == "competencies":
            return self.competencies if self.competencies is not None else self.goals
        return getattr(self, field)

    def lookup(self, field: str) -> dict[str, str]:
        """Folded label or synonym -> canonical tag, for one field."""
        table: dict[str, str] = {}
        for canonical, synonyms in self.for_field(field).items():
            for label in [canonical, *synonyms]:
                table[fold(label)] = canonical
        return table


class Config(_Strict):
    program: ProgramConfig
    smtp: SmtpConfig = SmtpConfig()
    matching: MatchingConfig = MatchingConfig()
    delays: DelaysConfig = DelaysConfig()
    vocabulary: VocabularyConfig = VocabularyConfig()
    # Not a key of the file: where it was read from, to resolve relative paths.
    source: Path = Field(default=Path("jumelage.toml"), exclude=True)

    @property
    def data_dir(self) -> Path:
        path = Path(self.program.data_dir).expanduser()
        return path if path.is_absolute() else (self.source.parent / path).resolve()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.program.timezone)


def default_config_path() -> Path:
    """`$JUMELAGE_CONFIG`, else `./jumelage.toml`."""
    return Path(os.environ.get("JUMELAGE_CONFIG") or "jumelage.toml")


def _find_secrets(data: Any, prefix: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            dotted = f"{prefix}{key}"
            if key.lower() in SECRET_KEYS:
                found.append(dotted)
            found += _find_secrets(value, dotted + ".")
    return found


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{key}'"
    if kind == "missing":
        return f"missing required key '{key}'"
    return f"key '{key}': {error['msg']} (got {error.get('input')!r})"


def load_config(path: Path | str | None = None) -> Config:
    """Read and validate the configuration; every problem names the key and the file."""
    path = Path(path) if path is not None else default_config_path()
    shown = path.resolve()
    if not path.is_file():
        raise ConfigError(
            f"configuration file not found: {shown} "
            "(use --config PATH, set JUMELAGE_CONFIG, or create ./jumelage.toml)"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: not valid TOML: {exc}") from None
    secrets = _find_secrets(data)
    if secrets:
        raise ConfigError(
            f"{shown}: key '{secrets[0]}' is refused: secrets never live in the configuration "
            "file; set JUMELAGE_SMTP_PASSWORD or store it in the system keyring "
            "(service 'jumelage', name = smtp.user)"
        )
    try:
        return Config.model_validate({**data, "source": shown})
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise ConfigError(f"{shown}: invalid configuration: {problems}") from None
