"""The TOML configuration (SPEC §9), validated before anything is read or written."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jumelage.errors import ConfigError
from jumelage.ingest.columns import REGISTRATION_HEADERS
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
    # Who is told when a night fails (the `run_failed` email); empty: the coordinators.
    operators: list[str] = []
    timezone: str = "America/Montreal"
    schedule: str = "30 1 * * *"
    data_dir: str = "data"
    language: Literal["fr", "en"] = "fr"
    management_levels: Annotated[int, Field(ge=1, le=20)] = 5
    require_approval: bool = False

    _mailbox = field_validator("mailbox")(_check_email)

    @field_validator("coordinators", "operators")
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


class MailboxInConfig(_Strict):
    """The program mailbox read over IMAP for answers by email (optional). Its password or
    OAuth2 token comes from the environment or the keyring (`jumelage.mail_in.imap`)."""

    host: Annotated[str, Field(min_length=1)]
    port: Annotated[int, Field(ge=1, le=65535)] = 993
    security: Literal["none", "starttls", "ssl"] = "ssl"
    user: Annotated[str, Field(min_length=1)]
    folder: Annotated[str, Field(min_length=1)] = "INBOX"
    processed_folder: Annotated[str, Field(min_length=1)] = "jumelage/traites"
    review_folder: Annotated[str, Field(min_length=1)] = "jumelage/a-verifier"
    timeout: Annotated[float, Field(gt=0)] = 30.0


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
    # language = {tag = label}: what a tag is called in that language's emails (default: its
    # first synonym), e.g. [vocabulary.labels.en] gestion_changement = "change management"
    labels: dict[Literal["fr", "en"], dict[str, str]] = {}

    def label(self, field: str, tag: str, lang: str) -> str:
        """A tag as a reader of `lang` reads it: its label in that language, else its first
        synonym, else the tag with spaces."""
        named = dict(self.labels).get(lang, {})
        if tag in named:
            return named[tag]
        synonyms = self.for_field(field).get(tag) or []
        return str(synonyms[0]) if synonyms else tag.replace("_", " ")

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


def _registration_field(field: str, key: str) -> None:
    """A field named in `[inbox]` must be a registration column (SPEC §3)."""
    if field not in REGISTRATION_HEADERS:
        raise PydanticCustomError(
            "config_key",
            "key '{key}': unknown field '{field}' (expected one of: {known})",
            {"key": key, "field": field, "known": ", ".join(REGISTRATION_HEADERS)},
        )


def _number_as_text(value: Any) -> Any:
    """`"Cadre (niveau 3)" = 3` reads as "3": the fields' values are text in the files."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


FieldValue = Annotated[str, BeforeValidator(_number_as_text)]


class InboxConfig(_Strict):
    """Form exports (registrations): their questions and choice texts, mapped to fields."""

    # header text as the form writes it -> field (case, accents, spacing, final ? : ignored)
    headers: dict[str, str] = {}
    # field -> {choice text -> the field's value}
    values: dict[str, dict[str, FieldValue]] = {}
    # file-name pattern (fnmatch, case and accents ignored) -> {field -> value for every row}
    files: dict[str, dict[str, FieldValue]] = {}

    @model_validator(mode="after")
    def _known_fields(self) -> InboxConfig:
        for header, field in self.headers.items():
            _registration_field(field, f'inbox.headers."{header}"')
        for field in self.values:
            _registration_field(field, f"inbox.values.{field}")
        for pattern, fixed in self.files.items():
            for field in fixed:
                _registration_field(field, f'inbox.files."{pattern}".{field}')
        return self


class Config(_Strict):
    program: ProgramConfig
    smtp: SmtpConfig = SmtpConfig()
    mailbox_in: MailboxInConfig | None = None
    matching: MatchingConfig = MatchingConfig()
    delays: DelaysConfig = DelaysConfig()
    vocabulary: VocabularyConfig = VocabularyConfig()
    inbox: InboxConfig = InboxConfig()
    # Not a key of the file: where it was read from, to resolve relative paths.
    source: Path = Field(default=Path("jumelage.toml"), exclude=True)

    @property
    def data_dir(self) -> Path:
        path = Path(self.program.data_dir).expanduser()
        return path if path.is_absolute() else (self.source.parent / path).resolve()

    @property
    def operators(self) -> list[str]:
        """Who hears about a failed night: `[program] operators`, else the coordinators."""
        return self.program.operators or self.program.coordinators

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


def describe_error(error: dict[str, Any]) -> str:
    """One validation problem, naming the dotted key."""
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "config_key":  # names its own key, deeper than the validator's place
        return error["msg"]
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
        where = (
            "JUMELAGE_IMAP_PASSWORD or store it in the system keyring "
            "(service 'jumelage-imap', name = mailbox_in.user)"
            if secrets[0].startswith("mailbox_in.")
            else "JUMELAGE_SMTP_PASSWORD or store it in the system keyring "
            "(service 'jumelage', name = smtp.user)"
        )
        raise ConfigError(
            f"{shown}: key '{secrets[0]}' is refused: secrets never live in the configuration "
            f"file; set {where}"
        )
    try:
        return Config.model_validate({**data, "source": shown})
    except ValidationError as exc:
        problems = "; ".join(describe_error(e) for e in exc.errors())
        raise ConfigError(f"{shown}: invalid configuration: {problems}") from None


def require_data_dir(config: Config) -> Path:
    """The data directory, which must exist: a mistyped `data_dir` is a configuration error,
    never a new empty program (only `jumelage init` and `jumelage demo` create theirs)."""
    path = config.data_dir
    if not path.is_dir():
        raise ConfigError(
            f"{config.source}: key 'program.data_dir': the directory {path} does not exist "
            "(correct the path, or create it with `jumelage init`)"
        )
    return path
