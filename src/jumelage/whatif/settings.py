"""What a what-if run changes: configuration keys (`--set KEY=VALUE`) and seats
(`--seats EMAIL=N`), checked as strictly as the configuration file itself."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from jumelage.config import Config, describe_error
from jumelage.errors import ConfigError

#: Only the matching's settings change what a re-run of the matching proposes.
SETTABLE = "matching."


def _value(text: str) -> Any:
    """A TOML value (`0.25`, `true`, `"text"`); a bare word is taken as a string."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _split(item: str, flag: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ConfigError(f"{flag} {item!r}: expected KEY=VALUE")
    return key.strip(), value.strip()


def with_settings(config: Config, settings: Iterable[str], **program: Any) -> Config:
    """`config` with each `KEY=VALUE` of `settings` (dotted keys under `matching.`) and the
    `[program]` values given, validated again: an unknown key or a wrong value names the
    key, as a configuration error does."""
    data = config.model_dump(mode="python", exclude={"source"})
    data["program"].update(program)
    for item in settings:
        key, text = _split(item, "--set")
        if not key.startswith(SETTABLE):
            raise ConfigError(f"--set {key}: only the matching's keys ({SETTABLE}*) can be tried")
        *path, last = key.split(".")
        node = data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise ConfigError(f"--set {key}: unknown key")
        if last not in node:
            raise ConfigError(f"--set {key}: unknown key")
        node[last] = _value(text)
    try:
        return Config.model_validate({**data, "source": config.source})
    except ValidationError as exc:
        problems = "; ".join(describe_error(e) for e in exc.errors())
        raise ConfigError(f"--set: invalid setting: {problems}") from None


def parse_seats(items: Iterable[str]) -> dict[str, int]:
    """`EMAIL=N` pairs: a mentor's number of places to try (0 or more)."""
    seats: dict[str, int] = {}
    for item in items:
        email, text = _split(item, "--seats")
        try:
            seats[email.lower()] = int(text)
        except ValueError:
            raise ConfigError(f"--seats {item!r}: N must be a whole number") from None
        if seats[email.lower()] < 0:
            raise ConfigError(f"--seats {item!r}: N must be 0 or more")
    return seats


def changed_settings(before: Config, after: Config) -> list[tuple[str, Any, Any]]:
    """(key, value before, value after) of every matching key that differs."""
    return sorted(_diff(before.matching.model_dump(), after.matching.model_dump(), "matching"))


def _diff(a: Mapping[str, Any], b: Mapping[str, Any], prefix: str) -> list[tuple[str, Any, Any]]:
    out: list[tuple[str, Any, Any]] = []
    for key, value in a.items():
        if isinstance(value, Mapping):
            out += _diff(value, b[key], f"{prefix}.{key}")
        elif b[key] != value:
            out.append((f"{prefix}.{key}", value, b[key]))
    return out
