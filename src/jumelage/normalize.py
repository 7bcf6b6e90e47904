"""Folding of headers, tags and value synonyms typed by hand in spreadsheets."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-_/.'’]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label ('Gestion  du Changement')."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().lower()


def header_key(text: str) -> str:
    """Header form: 'Courriel supérieur' -> 'courriel_superieur'."""
    return _SEPARATORS.sub("_", fold(text.replace("\ufeff", ""))).strip("_")


# Control characters (BEL, ESC, DEL, C1, ...) other than spacing: never meaningful in a cell,
# and harmful where the text goes (terminal escapes in a text email, a report, a CSV).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def clean(value: str | None) -> str | None:
    """Drop control characters, strip and collapse spaces; empty cells become None."""
    if value is None:
        return None
    value = _SPACES.sub(" ", _CONTROLS.sub("", nfc(str(value)))).strip()
    return value or None


# Roles ignore case but not the accent on é: 'mentore' is a woman mentor, 'mentoré' a mentee.
ROLES = {
    "mentor": "mentor",
    "mentore": "mentor",
    "mentors": "mentor",
    "mentee": "mentee",
    "mentoré": "mentee",
    "mentorée": "mentee",
    "mentoree": "mentee",
    "personne mentorée": "mentee",
    "personne mentoree": "mentee",
}

LANGUAGES = {
    "fr": "fr",
    "francais": "fr",
    "french": "fr",
    "en": "en",
    "anglais": "en",
    "english": "en",
    "fr,en": "fr,en",
    "en,fr": "fr,en",
    "bilingue": "fr,en",
    "bilingual": "fr,en",
}

MEETING_MODES = {
    "in_person": "in_person",
    "in person": "in_person",
    "presentiel": "in_person",
    "en personne": "in_person",
    "virtual": "virtual",
    "virtuel": "virtual",
    "a distance": "virtual",
    "en ligne": "virtual",
    "both": "both",
    "les deux": "both",
    "hybride": "both",
    "hybrid": "both",
    "indifferent": "both",
}

YES_NO = {
    "oui": "yes",
    "yes": "yes",
    "true": "yes",
    "vrai": "yes",
    "1": "yes",
    "o": "yes",
    "y": "yes",
    "x": "yes",
    "non": "no",
    "no": "no",
    "false": "no",
    "faux": "no",
    "0": "no",
    "n": "no",
}

DAYS = {
    "lun": "mon",
    "lundi": "mon",
    "mon": "mon",
    "monday": "mon",
    "mar": "tue",
    "mardi": "tue",
    "tue": "tue",
    "tuesday": "tue",
    "mer": "wed",
    "mercredi": "wed",
    "wed": "wed",
    "wednesday": "wed",
    "jeu": "thu",
    "jeudi": "thu",
    "thu": "thu",
    "thursday": "thu",
    "ven": "fri",
    "vendredi": "fri",
    "fri": "fri",
    "friday": "fri",
    "sam": "sat",
    "samedi": "sat",
    "sat": "sat",
    "dim": "sun",
    "dimanche": "sun",
    "sun": "sun",
}
HALVES = {"am": "am", "pm": "pm", "matin": "am", "apres midi": "pm", "apresmidi": "pm"}


def role(value: str) -> str | None:
    return ROLES.get(_SPACES.sub(" ", nfc(value)).strip().lower())


def language(value: str) -> str | None:
    key = re.sub(r"\s*[,;/|+&]\s*|\s+et\s+|\s+and\s+", ",", fold(value))
    return LANGUAGES.get(key)


def meeting_mode(value: str) -> str | None:
    return MEETING_MODES.get(fold(value).replace("-", " "))


def yes_no(value: str) -> str | None:
    return YES_NO.get(fold(value))


def split_list(value: str | None) -> list[str]:
    """Tags and slots are separated by ';' or '|' (commas stay inside labels)."""
    if not value:
        return []
    return [p for p in (clean(part) for part in re.split(r"[;|]", value)) if p]


def slot(value: str) -> str | None:
    """'lun-am', 'Mon AM', 'mercredi pm' -> 'mon-am'."""
    parts = re.split(r"[\s\-_/]+", fold(value), maxsplit=1)
    if len(parts) != 2:
        return None
    day, half = DAYS.get(parts[0]), HALVES.get(parts[1].replace("-", " "))
    return f"{day}-{half}" if day and half else None


def parse_int(value: str) -> int | None:
    """'3', ' 3 ', '3.0' (XLSX numbers) -> 3; anything else -> None."""
    match = re.fullmatch(r"\s*([+-]?\d+)(?:[.,]0+)?\s*", value)
    return int(match.group(1)) if match else None


_ISO_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
)


def parse_datetime(value: str) -> datetime | None:
    """ISO date or date-time (as spreadsheets export them); local wall time is kept naive."""
    match = _ISO_DATETIME.fullmatch(value.strip().replace("/", "-"))
    if not match:
        return None
    y, mo, d, h, mi, s, _tz = match.groups()
    try:
        return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    parsed = parse_datetime(value)
    return parsed.date() if parsed else None
