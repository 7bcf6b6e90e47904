"""Normalize and validate registration rows (SPEC §3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl

from jumelage import normalize as norm
from jumelage.config import EMAIL_RE, Config
from jumelage.ingest.columns import REGISTRATION_HEADERS
from jumelage.quarantine import TYPED, Reason
from jumelage.validate import suites
from jumelage.validate.outcome import Validated, merge_reasons, split
from jumelage.vocabulary import QuarantineCode

TAG_FIELDS = ("competencies", "goals", "interests")
FRENCH = {"competencies": "competences", "goals": "objectifs", "interests": "interets"}
MAX_DURATION_MONTHS = 60


def _map(values: list[str | None], fn: Callable[[str], str | None], default: str | None = None):
    """Normalized value, the original when it cannot be normalized (so GX names it), or default.

    Cells repeat a lot (roles, languages, organizations): each distinct cell is mapped once.
    """
    seen: dict[str | None, str | None] = {}
    out: list[str | None] = []
    for value in values:
        if value not in seen:
            cleaned = norm.clean(value)
            if cleaned is None:
                seen[value] = default
            else:
                mapped = fn(cleaned)
                seen[value] = mapped if mapped is not None else cleaned
        out.append(seen[value])
    return out


def _submitted(values: list[str | None]) -> list[str | None]:
    """`submitted_at` as ISO text, in any form tool's format; a column's `a/b/yyyy` dates are
    all read day first or all month first (`normalize.dates_day_first`)."""
    day_first = norm.dates_day_first(values)

    def iso(value: str) -> str | None:
        parsed = norm.parse_form_datetime(value, day_first=day_first)
        return parsed.isoformat(timespec="seconds") if parsed else None

    return _map(values, iso)


def map_answers(raw: pl.DataFrame, values: Mapping[str, Mapping[str, str]]) -> pl.DataFrame:
    """The cells of a form export with its choice texts mapped to the fields' values
    (`[inbox.values.<field>]`, compared with `normalize.answer_key`)."""
    columns = []
    for field, table in values.items():
        if field not in raw.columns or not table:
            continue
        choices = {norm.answer_key(text): value for text, value in table.items()}
        seen: dict[str | None, str | None] = {}
        cells = [seen.setdefault(cell, norm.mapped_answer(cell, choices)) for cell in raw[field]]
        columns.append(pl.Series(field, cells, dtype=pl.String))
    return raw.with_columns(columns) if columns else raw


def _int(value: str) -> str | None:
    parsed = norm.parse_int(value)
    return None if parsed is None else str(parsed)


def _email(value: str) -> str:
    return value.strip().strip("<>").removeprefix("mailto:").strip().lower()


def normalized_strings(raw: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The frame Great Expectations checks: one string column per field, synonyms mapped."""
    col = {c: raw[c].to_list() if c in raw.columns else [None] * raw.height for c in _ALL}
    cleaned = {c: _map(col[c], lambda v: v) for c in ("first_name", "last_name", "organization")}
    return pl.DataFrame(
        {
            "row_number": raw["row_number"],
            "submitted_at": _submitted(col["submitted_at"]),
            "role": _map(col["role"], norm.role),
            **cleaned,
            "email": _map(col["email"], _email),
            "language": _map(col["language"], norm.language, default=config.program.language),
            "manager_email": _map(col["manager_email"], _email),
            "management_level": _map(col["management_level"], _int),
            "meeting_mode": _map(col["meeting_mode"], norm.meeting_mode, default="both"),
            "competencies": _map(col["competencies"], lambda v: v),
            "goals": _map(col["goals"], lambda v: v),
            "experience_years": _map(col["experience_years"], _int),
            "capacity": _map(col["capacity"], _int),
            "duration_months": _map(col["duration_months"], _int),
            "consent": _map(col["consent"], norm.yes_no),
        },
        schema_overrides={"row_number": pl.Int64},
    ).with_columns(pl.exclude("row_number").cast(pl.String))


_ALL = list(REGISTRATION_HEADERS)


def _out_of_range(value: str | None, high: int) -> bool:
    """An integer (as GX has let it through) outside 1..high; unreadable values are GX's."""
    return value is not None and value.lstrip("-").isdecimal() and not 1 <= int(value) <= high


def _range_checks(
    checked: pl.DataFrame, raw: pl.DataFrame, config: Config
) -> dict[int, list[Reason]]:
    """What GX cannot say from a static suite: ranges from the configuration, lists of emails."""
    levels = config.program.management_levels
    max_capacity = config.matching.max_capacity
    reasons: dict[int, list[Reason]] = {}
    preferred = (
        raw["preferred_mentors"].to_list()
        if "preferred_mentors" in raw.columns
        else [None] * raw.height
    )
    rows = zip(
        checked["row_number"],
        checked["management_level"],
        checked["capacity"],
        checked["duration_months"],
        preferred,
        strict=True,
    )
    ranges = (
        ("management_level", QuarantineCode.LEVEL_OUT_OF_RANGE, levels),
        ("capacity", QuarantineCode.CAPACITY_OUT_OF_RANGE, max_capacity),
        ("duration_months", QuarantineCode.DURATION_OUT_OF_RANGE, MAX_DURATION_MONTHS),
    )
    for row, level, capacity, duration, wanted in rows:
        found = [
            Reason(code, column, {"value": int(value), "low": 1, "high": high})
            for (column, code, high), value in zip(ranges, (level, capacity, duration), strict=True)
            if _out_of_range(value, high)
        ]
        for email in norm.split_list(norm.clean(wanted)):
            if not EMAIL_RE.match(_email(email)):
                found.append(
                    Reason(QuarantineCode.UNREADABLE_ADDRESS, "preferred_mentors", {TYPED: email})
                )
        if found:
            reasons[int(row)] = found
    return reasons


def _tags(
    values: list[str | None], lookup: dict[str, str]
) -> tuple[list[list[str]], list[list[str]]]:
    """Known canonical tags (sorted, unique) and unknown labels, per row.

    With an empty vocabulary the field is free: tags are kept in folded form.
    """
    seen: dict[str | None, tuple[list[str], list[str]]] = {}
    for value in set(values):
        known: set[str] = set()
        unknown: list[str] = []
        for label in norm.split_list(norm.clean(value)):
            key = norm.fold(label)
            if not lookup:
                known.add(key)
            elif key in lookup:
                known.add(lookup[key])
            else:
                unknown.append(label)
        seen[value] = (sorted(known), unknown)
    return [seen[v][0] for v in values], [seen[v][1] for v in values]


def _slots(values: list[str | None]) -> tuple[list[list[str]], list[list[str]]]:
    seen: dict[str | None, tuple[list[str], list[str]]] = {}
    for value in set(values):
        parts = norm.split_list(norm.clean(value))
        slots = [norm.slot(p) for p in parts]
        seen[value] = (
            sorted({s for s in slots if s}),
            [p for p, s in zip(parts, slots, strict=True) if not s],
        )
    return [seen[v][0] for v in values], [seen[v][1] for v in values]


def _typed(
    checked: pl.DataFrame, raw: pl.DataFrame, config: Config
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed accepted rows, and the unknown tags/slots found in them."""

    def raw_col(name: str) -> list[str | None]:
        return raw[name].to_list() if name in raw.columns else [None] * raw.height

    lists: dict[str, list[list[str]]] = {}
    unknown: list[tuple[int, str, str]] = []
    rows = raw["row_number"].to_list()
    for field in TAG_FIELDS:
        known, odd = _tags(raw_col(field), config.vocabulary.lookup(field))
        lists[field] = known
        unknown += [(r, FRENCH[field], u) for r, us in zip(rows, odd, strict=True) for u in us]
    lists["availability"], odd = _slots(raw_col("availability"))
    unknown += [(r, "disponibilites", u) for r, us in zip(rows, odd, strict=True) for u in us]
    lists["preferred_mentors"] = [
        list(dict.fromkeys(_email(e) for e in norm.split_list(norm.clean(v))))
        for v in raw_col("preferred_mentors")
    ]
    text = {c: _map(raw_col(c), lambda v: v) for c in ("unit", "region")}
    typed = checked.select(
        "row_number",
        pl.col("submitted_at").str.to_datetime("%Y-%m-%dT%H:%M:%S"),
        "role",
        "first_name",
        "last_name",
        "email",
        "language",
        "organization",
        pl.Series("unit", text["unit"], dtype=pl.String),
        "manager_email",
        pl.col("management_level").cast(pl.Int32),
        pl.Series("region", text["region"], dtype=pl.String),
        "meeting_mode",
        *(pl.Series(f, lists[f], dtype=pl.List(pl.String)) for f in TAG_FIELDS),
        pl.col("experience_years").cast(pl.Int32),
        pl.Series("availability", lists["availability"], dtype=pl.List(pl.String)),
        pl.col("capacity").cast(pl.Int32).fill_null(1),
        pl.Series("preferred_mentors", lists["preferred_mentors"], dtype=pl.List(pl.String)),
        pl.col("duration_months").cast(pl.Int32),
    )
    unknown_frame = pl.DataFrame(
        unknown,
        schema={"row_number": pl.Int64, "field": pl.String, "value": pl.String},
        orient="row",
    )
    return typed, unknown_frame


def supersede(accepted: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the latest `submitted_at` per (email, role); a tie goes to the row further down."""
    ranked = accepted.with_columns(
        pl.col("row_number")
        .sort_by(["submitted_at", "row_number"], descending=True)
        .first()
        .over("email", "role")
        .alias("winner")
    )
    latest = ranked.filter(pl.col("row_number") == pl.col("winner")).drop("winner")
    older = ranked.filter(pl.col("row_number") != pl.col("winner")).select(
        "row_number", "email", "role", "submitted_at", pl.col("winner").alias("replaced_by_row")
    )
    return latest, older


def _form_roles(
    reasons: dict[int, list[Reason]], config: Config, from_form: bool
) -> dict[int, list[Reason]]:
    """In a form's export whose role answers are mapped (`[inbox.values.role]`, or the role
    question in `[inbox.headers]`), an answer nobody mapped yet is a choice text to add: a
    correction exists, so the row waits in « à traiter » (unknown_role). Anywhere else, a
    plain file included, « stagiaire » stays a role outside the program, set aside. Decided
    per file: a program may read both its form's exports and plain files."""
    maps_roles = "role" in config.inbox.values or "role" in config.inbox.headers.values()
    if not (from_form and maps_roles):
        return reasons
    return {
        row: [
            Reason(QuarantineCode.UNKNOWN_ROLE, r.field, r.values)
            if r.code is QuarantineCode.ROLE_OUTSIDE_PROGRAM
            else r
            for r in found
        ]
        for row, found in reasons.items()
    }


def validate_registrations(
    raw: pl.DataFrame,
    config: Config,
    row_problems: dict[int, list[Reason]] | None = None,
    *,
    from_form: bool = False,
) -> Validated:
    """Accepted (typed, one per (email, role)), quarantined (with reasons) and superseded rows.

    A form's choice texts are mapped first (`[inbox.values]`); reasons and quarantined rows
    keep the cells as typed in the file. `from_form`: the file is a form tool's export
    (`RawTable.from_form`), where an unmapped role answer is still a choice to map."""
    answers = map_answers(raw, config.inbox.values)
    checked = normalized_strings(answers, config)
    reasons = merge_reasons(
        row_problems or {},
        _form_roles(suites.failures("registrations", checked, raw), config, from_form),
        _range_checks(checked, answers, config),
    )
    keep, quarantined = split(raw, reasons, config.program.language)
    typed, unknown = _typed(checked.filter(keep), answers.filter(keep), config)
    accepted, superseded = supersede(typed)
    unknown = unknown.filter(pl.col("row_number").is_in(accepted["row_number"].implode()))
    return Validated(
        accepted.sort("row_number"), quarantined, superseded.sort("row_number"), unknown
    )
