"""Jinja environments for what people read (emails, the report) and the filters they share.

Strict: a variable missing from the context is an error, never a blank in a letter. Dates and
lists are written out with the words of the reader's language (templates/words).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from jumelage import words


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def longdate(value: Any, lang: str) -> str:
    """« 1er mars 2026 », "March 1, 2026"; empty for no date."""
    day = as_date(value)
    if day is None:
        return ""
    names = words.group(lang, "dates")
    first = names["first_day"] if day.day == 1 else str(day.day)
    month = names["months"][str(day.month)]
    return names["long"].format(day=first, month=month, year=day.year)


def tag(value: Any) -> str:
    return str(value).replace("_", " ").strip()


def join_words(values: Any, lang: str) -> str:
    """« a, b et c »: a list written out in the reader's language."""
    items = [tag(v) for v in (values or []) if str(v).strip()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + words.group(lang, "dates")["last_separator"] + items[-1]


def environment(
    folder: str, lang: str, *, autoescape: bool, keep_trailing_newline: bool = False
) -> Environment:
    """The templates of `templates/<folder>`, with the shared filters in `lang`."""
    env = Environment(
        loader=PackageLoader("jumelage", f"templates/{folder}"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
    env.filters["longdate"] = lambda v: longdate(v, lang)
    env.filters["tag"] = tag
    env.filters["join_words"] = lambda v: join_words(v, lang)
    env.globals["word"] = lambda group, code, **values: words.say(lang, group, code, **values)
    return env
