"""Queue the `proposal` email of every proposal released tonight (inside its transaction)."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import duckdb
import polars as pl

from jumelage import models
from jumelage.config import Config
from jumelage.notify.compose import OutgoingEmail, compose, proposal_context
from jumelage.notify.outbox import enqueue

#: From this many emails on, a second process renders part of them: a launch night renders
#: about 15,000 (Jinja, ~0.5 ms each, most of the match stage after the assignment), and a
#: worker costs about a second to start.
POOL_FROM = 2000
#: The worker's share of the emails (it starts about a second after this process).
WORKER_SHARE = 0.45
#: How long to wait for the worker once this process's share is done: a fixed margin plus
#: ten times the expected cost of each of its emails. Past that, or if it failed, its share
#: is rendered here: a night never hangs on, or fails for, a helper process.
WORKER_GRACE_SECONDS = 30.0
WORKER_SECONDS_PER_EMAIL = 0.005

log = logging.getLogger(__name__)

#: One email to compose: recipient, context, about (the proposal id), language.
Item = tuple[str, Mapping[str, Any], str, str | None]


def _people(con: duckdb.DuckDBPyConnection, role: str, emails: list[str]) -> dict[str, dict]:
    rows = models.frame(con, "notify/participants_by_email", {"role": role, "emails": emails})
    return {row["email"]: row for row in rows.iter_rows(named=True)}


def _compose_chunk(config: Config, run_date: date, items: Sequence[Item]) -> list[OutgoingEmail]:
    return [
        compose(
            config,
            "proposal",
            to=to,
            context=context,
            about=about,
            language=language,
            run_date=run_date,
        )
        for to, context, about, language in items
    ]


def compose_all(config: Config, run_date: date, items: Sequence[Item]) -> list[OutgoingEmail]:
    """The proposal emails of `items`, in order. Many of them are shared with one worker
    process (forkserver: it never inherits the warehouse's connection), which renders the
    last `WORKER_SHARE` of them while this process renders the rest. Whatever happens to the
    worker (it cannot start, dies, hangs, cannot receive the work), its share is rendered
    here after at most WORKER_GRACE_SECONDS + WORKER_SECONDS_PER_EMAIL each, and it is
    killed on the way out (`Pool.terminate`), never waited for."""
    if (
        len(items) < POOL_FROM
        or (os.cpu_count() or 1) < 2
        or multiprocessing.current_process().daemon  # may not have children
    ):
        return _compose_chunk(config, run_date, items)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    context.set_forkserver_preload(["jumelage.notify.compose"])
    split = len(items) - int(len(items) * WORKER_SHARE)
    rest = items[split:]
    try:
        pool = context.Pool(1)
    except OSError as exc:
        log.warning("proposal emails rendered in one process: no worker (%s)", exc)
        return _compose_chunk(config, run_date, items)
    with pool:  # leaving terminates the worker, finished or not
        theirs = pool.apply_async(_compose_chunk, (config, run_date, rest))
        mine = _compose_chunk(config, run_date, items[:split])
        try:
            return mine + theirs.get(WORKER_GRACE_SECONDS + WORKER_SECONDS_PER_EMAIL * len(rest))
        except Exception as exc:  # any failure of the worker: its share is done here
            log.warning(
                "proposal emails: the worker process failed (%s: %s); its %d rendered here",
                type(exc).__name__,
                exc,
                len(rest),
            )
    return mine + _compose_chunk(config, run_date, rest)


def queue_proposal_emails(
    con: duckdb.DuckDBPyConnection, config: Config, run_date: date, proposals: pl.DataFrame
) -> list[str]:
    """One `proposal` email per released proposal, to the mentee; returns the new keys.

    Called by matching inside the transaction that writes the proposals, so a proposal is
    never released without its email queued, and a re-run queues nothing twice (same keys).
    """
    released = proposals.filter(pl.col("status") == "proposed")
    if released.is_empty():
        return []
    mentees = _people(con, "mentee", released["mentee_email"].to_list())
    mentors = _people(con, "mentor", released["mentor_email"].to_list())
    items: list[Item] = []
    for proposal in released.iter_rows(named=True):
        mentee = mentees[proposal["mentee_email"]]
        context = proposal_context(
            config, proposal, mentee, mentors[proposal["mentor_email"]], released_on=run_date
        )
        items.append((mentee["email"], context, proposal["proposal_id"], mentee["language"]))
    return enqueue(con, compose_all(config, run_date, items))
