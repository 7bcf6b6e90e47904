"""Due dates of a relationship (SPEC §7), computed from dates only, never the wall clock."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """Calendar months later; the day is clamped (Jan 31 + 1 month = Feb 28/29)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def planned_end(started_on: date, duration_months: int) -> date:
    return add_months(started_on, duration_months)


def midpoint(started_on: date, planned_end_on: date) -> date:
    """started_on + half the days between the two, rounded down."""
    return started_on + timedelta(days=(planned_end_on - started_on).days // 2)


def latest_due(reference: date, every_days: int, run_date: date) -> date | None:
    """The last `reference + k * every_days` (k >= 1) on or before run_date, if any.

    A period of silence gives one follow-up; another one only after another full period.
    """
    elapsed = (run_date - reference).days
    if elapsed < every_days:
        return None
    return reference + timedelta(days=(elapsed // every_days) * every_days)
