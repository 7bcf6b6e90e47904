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
    """'fr', 'Anglais', 'bilingue', 'fr,en', 'Français et anglais', 'Français;English;' (a
    form's multiple choice) -> fr, en or fr,en; None when any part is not a language."""
    key = re.sub(r"\s*[,;/|+&]\s*|\s+et\s+|\s+and\s+", ",", fold(value)).strip(",")
    if key in LANGUAGES:
        return LANGUAGES[key]
    parts = [LANGUAGES.get(part) for part in key.split(",")]
    if not parts or None in parts:
        return None
    spoken = {code for part in parts if part for code in part.split(",")}
    return ",".join(code for code in ("fr", "en") if code in spoken)


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


# Form tools' question and choice texts: typographic quotes and final punctuation vary from
# one export to the next (« Niveau ? », "Niveau :", "Niveau").
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"', "“": '"'})
_TRAILING = re.compile(r"[\s?:.!;,*…\"]+$")


def answer_key(text: str) -> str:
    """Form text form: case, accents, spacing, quote style and final ? : . ignored."""
    return _TRAILING.sub("", fold(text.replace("\ufeff", "").translate(_QUOTES))).lstrip('" ')


# Dates as the form tools export them: '2026/10/31 9:15:00 AM UTC−4' (Google Forms, English),
# '31/10/2026 09:15:00' (French locales), '10/31/2026 9:15:00' (US locale),
# '2026-10-31 09:15:00' (LimeSurvey, XLSX cells). The zone is dropped: wall time stays naive.
_TIME = r"(?:[ t,]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap])?\.?\s?m?\.?)?"
_ZONE = r"(?:\s*(?:z|(?:utc|gmt)\s*(?:[+\-−]\d{1,2}(?::?\d{2})?)?|[+\-−]\d{2}:?\d{2}|[a-z]{3,4}))?"
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + _ZONE)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME + _ZONE)


def _wall_time(
    y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, half: str | None
) -> datetime | None:
    hour = int(h or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    try:
        return datetime(y, mo, d, hour, int(mi or 0), int(s or 0))
    except ValueError:
        return None


def parse_form_datetime(value: str, *, day_first: bool = True) -> datetime | None:
    """A date-time as a form tool or a spreadsheet writes it (see above), or None.

    `day_first` decides `05/01/2026` (5 January, or 1 May when False): a file's column is
    read one way throughout (`dates_day_first`).
    """
    iso = parse_datetime(value)
    if iso is not None:
        return iso
    text = value.strip().lower()
    match = _YMD.fullmatch(text)
    if match:
        y, mo, d, h, mi, s, half = match.groups()
        return _wall_time(int(y), int(mo), int(d), h, mi, s, half)
    match = _DMY.fullmatch(text)
    if match:
        a, b, y, h, mi, s, half = match.groups()
        day, month = (a, b) if day_first else (b, a)
        return _wall_time(int(y), int(month), int(day), h, mi, s, half)
    return None


def dates_day_first(values: list[str | None]) -> bool:
    """Whether a column's `a/b/yyyy` dates put the day first: a part above 12 decides (31/10 is
    day first, 10/31 month first); when none does, AM/PM means a US locale (month first),
    anything else the French and international habit (day first)."""
    half_day = False
    for value in values:
        match = _DMY.fullmatch(value.strip().lower()) if value else None
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
        half_day = half_day or match.group(7) is not None
    return not half_day


def _known_choices(parts: list[str], choices: dict[str, str]) -> list[str] | None:
    """Google Forms joins checkboxes with ", ", which a choice may itself contain: the parts
    read as known choices (the longest first), or None when some text is not a choice."""
    found: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            value = choices.get(answer_key(", ".join(parts[start:end])))
            if value is not None:
                found.append(value)
                start = end
                break
        else:
            return None
    return found


def mapped_answer(value: str | None, choices: dict[str, str]) -> str | None:
    """A form's answer through `[inbox.values.<field>]` (`choices`: `answer_key` -> value):
    the whole answer, else each of its `;`-joined choices (Microsoft Forms' multiple choice,
    `A;B;`), the others kept as typed so that validation names them; Google Forms' `A, B`
    only when every part is a known choice (a comma may sit inside a choice)."""
    if value is None or not choices:
        return value
    whole = choices.get(answer_key(value))
    if whole is not None:
        return whole
    if ";" not in value:
        known = _known_choices(value.split(", "), choices)
        return ";".join(known) if known and len(known) > 1 else value
    parts = [p.strip() for p in value.split(";") if p.strip()]
    return ";".join(choices.get(answer_key(p), p) for p in parts)
