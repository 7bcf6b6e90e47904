"""The Prefect flow `nightly`, as a top-level entry point (`prefect deploy`, `python -m`).

The flow itself lives in the package (`jumelage.flow`), over the stages of
`jumelage.stages.STAGES`: this file only exposes it.
"""

from __future__ import annotations

from jumelage.flow import nightly

__all__ = ["nightly"]

if __name__ == "__main__":
    nightly()
