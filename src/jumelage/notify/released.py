"""Queue the `proposal` email of every proposal released tonight (inside its transaction)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
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
#: Emails per piece of work shared between this process and the worker.
CHUNK = 250

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
    process (forkserver: it never inherits the warehouse's connection): the worker takes
    pieces from the end, this process from the start, and a piece not started yet is taken
    back (`cancel`), so that neither waits for the other."""
    if (
        len(items) < POOL_FROM
        or (os.cpu_count() or 1) < 2
        or multiprocessing.current_process().daemon  # may not have children
    ):
        return _compose_chunk(config, run_date, items)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    context.set_forkserver_preload(["jumelage.notify.compose"])
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    done: dict[int, list[OutgoingEmail]] = {}
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        futures: dict[int, Future[list[OutgoingEmail]]] = {
            i: pool.submit(_compose_chunk, config, run_date, chunks[i])
            for i in reversed(range(len(chunks)))
        }
        for i, chunk in enumerate(chunks):
            if futures[i].cancel():
                done[i] = _compose_chunk(config, run_date, chunk)
        for i, future in futures.items():
            if i not in done:
                done[i] = future.result()
    return [message for i in range(len(chunks)) for message in done[i]]


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
