"""The report's charts, drawn with matplotlib and embedded as base64 PNG `data:` URIs.

PNG rather than SVG: mail clients show PNG parts (the outbox turns each `data:` URI into an
inline `cid:` part), and the file stays self-contained. Figures are drawn on a bare `Figure`
(no pyplot state, no display), and rendering is deterministic (no timestamp in the PNG),
so the same warehouse gives the same report.
"""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

BLUE = "#1f4e79"
TEAL = "#2a9d8f"
ORANGE = "#e07a1f"
GREY = "#6b7280"
#: Colours of the series of one chart, in order.
LINE_STYLES = (BLUE, TEAL)
_SIZE = (6.4, 2.8)


def _figure() -> tuple[Figure, Axes]:
    fig = Figure(figsize=_SIZE, dpi=110)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8, colors="#374151")
    return fig, ax


def _data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def pool_over_time(days: Sequence[date], series: Mapping[str, Sequence[int]]) -> str:
    """Mentees waiting and mentors' free places at matching time, one point per run date;
    `series` maps each line's legend to its values."""
    fig, ax = _figure()
    for (legend, values), colour, marker in zip(series.items(), LINE_STYLES, "os", strict=True):
        ax.plot(days, values, color=colour, marker=marker, markersize=3, label=legend)
    span = (max(days) - min(days)).days if days else 0
    # a few days: one tick a day (AutoDateLocator warns on very short ranges)
    locator = mdates.DayLocator() if span <= 7 else mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return _data_uri(fig)


#: Waiting-time buckets, in days (upper bounds, inclusive); the last one is open.
WAIT_BUCKETS = (7, 30, 60, 90, 180)


def wait_buckets(days_waiting: Sequence[int]) -> list[int]:
    """How many mentees fall in each bucket of WAIT_BUCKETS (plus one open bucket)."""
    counts = [0] * (len(WAIT_BUCKETS) + 1)
    for days in days_waiting:
        index = next((i for i, top in enumerate(WAIT_BUCKETS) if days <= top), len(WAIT_BUCKETS))
        counts[index] += 1
    return counts


def waiting_times(days_waiting: Sequence[int], labels: dict[str, str]) -> str:
    """Mentees waiting, by how long they have been in the pool."""
    fig, ax = _figure()
    counts = wait_buckets(days_waiting)
    names = [labels["bucket_first"].format(WAIT_BUCKETS[0])]
    names += [f"{a + 1}–{b}" for a, b in itertools.pairwise(WAIT_BUCKETS)]
    names += [labels["bucket_last"].format(WAIT_BUCKETS[-1])]
    bars = ax.bar(names, counts, color=BLUE)
    ax.bar_label(bars, fontsize=8)
    ax.set_xlabel(labels["days"], fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _data_uri(fig)


def weekly_proposals(
    weeks: Sequence[date], series: Mapping[str, Sequence[int]], week_of: str, fmt: str = "%m-%d"
) -> str:
    """Proposals made and accepted, per period (a week, a month: its first day, shown with
    `fmt`), side by side; `series` maps legend to values."""
    fig, ax = _figure()
    x = list(range(len(weeks)))
    for (legend, values), colour, offset in zip(
        series.items(), LINE_STYLES, (-0.2, 0.2), strict=True
    ):
        ax.bar([i + offset for i in x], values, width=0.4, color=colour, label=legend)
    ax.set_xticks(x, [w.strftime(fmt) for w in weeks], rotation=30, ha="right")
    ax.set_xlabel(week_of, fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return _data_uri(fig)


def score_distribution(
    scores: Sequence[float], tonight: Sequence[float], min_score: float, labels: dict[str, str]
) -> str:
    """Scores of recent proposals (tonight's stacked on top), with the minimum score."""
    fig, ax = _figure()
    bins = [i / 20 for i in range(21)]
    earlier = [s for s, t in zip(scores, tonight, strict=True) if not t]
    now = [s for s, t in zip(scores, tonight, strict=True) if t]
    ax.hist(
        [earlier, now],
        bins=bins,
        stacked=True,
        color=[BLUE, ORANGE],
        label=[labels["earlier"], labels["tonight"]],
    )
    ax.axvline(min_score, color=GREY, linestyle="--", linewidth=1)
    ax.text(min_score, ax.get_ylim()[1] * 0.95, " " + labels["min_score"], fontsize=7, color=GREY)
    ax.set_xlim(0, 1)
    ax.set_xlabel(labels["score"], fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return _data_uri(fig)


def score_shift(series: Mapping[str, Sequence[float]], min_score: float, axis: str) -> str:
    """Two score distributions over each other (a night and its what-if), as outlines so
    that neither hides the other; the dashed line is the minimum score tried."""
    fig, ax = _figure()
    bins = [i / 20 for i in range(21)]
    for (legend, values), colour in zip(series.items(), LINE_STYLES, strict=True):
        ax.hist(values, bins=bins, histtype="step", linewidth=1.6, color=colour, label=legend)
    ax.axvline(min_score, color=GREY, linestyle="--", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_xlabel(axis, fontsize=8)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    return _data_uri(fig)
