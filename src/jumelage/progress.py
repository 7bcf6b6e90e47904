"""A progress bar on the long stages (scoring, sending), for a person watching a terminal.

Shown on standard error only when it is a terminal: logs, tests, services and pipes get
nothing from it. `JUMELAGE_PROGRESS=0` turns it off on a terminal too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[..., None]  # update(completed, description=None)


def _wanted() -> bool:
    return sys.stderr.isatty() and os.environ.get("JUMELAGE_PROGRESS", "1") != "0"


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Update]:
    """Yield `update(completed, description=None)`; a transient bar while inside, when
    wanted."""
    if not _wanted():
        yield lambda completed, description=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)

        def update(completed: int, description: str | None = None) -> None:
            bar.update(
                task, completed=completed, description=description or bar.tasks[0].description
            )

        yield update
