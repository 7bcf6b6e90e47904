"""Normalize and validate event rows (SPEC §3, events)."""

from __future__ import annotations

import polars as pl

from jumelage import normalize as norm
from jumelage.quarantine import Reason
from jumelage.validate import suites
from jumelage.validate.outcome import Validated, merge_reasons, split
from jumelage.validate.registrations import _email, _map
from jumelage.vocabulary import QuarantineCode

# Folded label (spaces for separators) -> event type. English names, French synonyms.
EVENT_TYPES: dict[str, str] = {}
_SYNONYMS = {
    "proposal_accepted": ["acceptee", "accepte", "accepted", "proposition acceptee", "acceptation"],
    "proposal_declined": [
        "refusee",
        "refuse",
        "declined",
        "declinee",
        "proposition refusee",
        "refus",
    ],
    "meeting_held": ["rencontre", "rencontre tenue", "meeting", "premiere rencontre"],
    "midpoint_review_done": [
        "bilan mi parcours",
        "bilan de mi parcours",
        "bilan mi parcours fait",
        "midpoint review done",
    ],
    "final_review_done": ["bilan final", "bilan final fait", "final review done"],
    "relationship_ended": [
        "fin de relation",
        "relation terminee",
        "fin du jumelage",
        "relationship ended",
    ],
    "absence_started": ["debut absence", "debut d absence", "absence", "absent"],
    "absence_ended": ["fin absence", "fin d absence", "retour", "retour d absence", "back"],
    "organization_changed": ["changement organisation", "changement d organisation"],
    "level_changed": ["changement de niveau", "changement niveau", "nouveau niveau"],
    "withdrew": ["retrait", "desistement", "abandon", "withdrawn", "withdrawal"],
    "pair_requested": ["jumelage demande", "paire demandee", "pair request"],
    "pair_excluded": ["jumelage exclu", "paire exclue", "pair exclusion"],
    "proposal_approved": ["approuvee", "proposition approuvee", "approved"],
    "proposal_rejected": ["rejetee", "proposition rejetee", "rejected"],
}
for _type, _labels in _SYNONYMS.items():
    for _label in [_type, *_labels]:
        EVENT_TYPES[norm.fold(_label).replace("_", " ").replace("-", " ")] = _type

PAIR_EVENTS = {"pair_requested", "pair_excluded"}
PROPOSAL_EVENTS = {
    "proposal_accepted",
    "proposal_declined",
    "proposal_approved",
    "proposal_rejected",
}
VALUE_EVENTS = {"organization_changed", "level_changed"}


def event_type(value: str) -> str | None:
    key = norm.fold(value).replace("_", " ").replace("-", " ").replace("'", " ")
    return EVENT_TYPES.get(" ".join(key.split()))


def _date(value: str) -> str | None:
    parsed = norm.parse_date(value)
    return parsed.isoformat() if parsed else None


def normalized_strings(raw: pl.DataFrame) -> pl.DataFrame:
    def col(name: str) -> list[str | None]:
        return raw[name].to_list() if name in raw.columns else [None] * raw.height

    return pl.DataFrame(
        {
            "row_number": raw["row_number"],
            "event_date": _map(col("event_date"), _date),
            "event_type": _map(col("event_type"), event_type),
            "email": _map(col("email"), _email),
            "counterpart_email": _map(col("counterpart_email"), _email),
            "proposal_id": _map(col("proposal_id"), lambda v: v),
            "value": _map(col("value"), lambda v: v),
        },
        schema_overrides={"row_number": pl.Int64},
    ).with_columns(pl.exclude("row_number").cast(pl.String))


def _type_checks(checked: pl.DataFrame) -> dict[int, list[Reason]]:
    """Fields required by some event types only."""
    reasons: dict[int, list[Reason]] = {}
    for row in checked.iter_rows(named=True):
        kind, found = row["event_type"], []
        about = {"event_type": kind}
        if kind in PAIR_EVENTS and not row["counterpart_email"]:
            found.append(Reason(QuarantineCode.PARTNER_REQUIRED, "counterpart_email", about))
        if kind in PROPOSAL_EVENTS and not row["proposal_id"] and not row["counterpart_email"]:
            found.append(Reason(QuarantineCode.PROPOSAL_REQUIRED, "proposal_id", about))
        if kind in VALUE_EVENTS and not row["value"]:
            code = (
                QuarantineCode.NEW_ORGANIZATION_REQUIRED
                if kind == "organization_changed"
                else QuarantineCode.NEW_LEVEL_REQUIRED
            )
            found.append(Reason(code, "value", about))
        if kind == "level_changed" and row["value"] and norm.parse_int(row["value"]) is None:
            found.append(
                Reason(QuarantineCode.UNREADABLE_NEW_LEVEL, "value", {"value": row["value"]})
            )
        if found:
            reasons[int(row["row_number"])] = found
    return reasons


def validate_events(
    raw: pl.DataFrame, row_problems: dict[int, list[Reason]] | None = None, *, lang: str
) -> Validated:
    """Accepted typed events and quarantined rows (reasons worded in `lang`, the program's
    language); events are never superseded."""
    checked = normalized_strings(raw)
    reasons = merge_reasons(
        row_problems or {}, suites.failures("events", checked, raw), _type_checks(checked)
    )
    keep, quarantined = split(raw, reasons, lang)
    accepted = checked.filter(keep).with_columns(pl.col("event_date").str.to_date("%Y-%m-%d"))
    return Validated(accepted, quarantined)
