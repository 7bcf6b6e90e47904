"""Great Expectations suites kept as JSON files in `expectations/`, run in an ephemeral context."""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from functools import cache
from typing import Any

import polars as pl

from jumelage.paths import expectation_path
from jumelage.quarantine import TYPED, Reason, refine
from jumelage.vocabulary import QuarantineCode

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@cache
def _context() -> Any:
    import great_expectations as gx  # slow import (~4 s): only when a file is validated
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@cache
def _suite(name: str) -> tuple[Any, Any]:
    """(suite, batch definition) for `expectations/<name>.json`."""
    from great_expectations.core import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    spec = json.loads(expectation_path(f"{name}.json").read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:  # a suite names only codes that have words
        QuarantineCode(expectation["meta"]["code"])
    context = _context()
    suite = context.suites.add(
        ExpectationSuite(
            name=spec["name"],
            expectations=[ExpectationConfiguration(**e) for e in spec["expectations"]],
            meta=spec.get("meta", {}),
        )
    )
    asset = context.data_sources.add_pandas(f"inbox_{name}").add_dataframe_asset(name)
    return suite, asset.add_batch_definition_whole_dataframe("whole_file")


def failures(
    name: str, frame: pl.DataFrame, raw: pl.DataFrame | None = None
) -> dict[int, list[Reason]]:
    """row_number -> reasons (the expectation's `meta.code`, its column) for every failure.

    The reason keeps the cell as typed in the file (`raw`), so a coordinator can find it.
    """
    if frame.height == 0:
        return {}
    suite, batch_definition = _suite(name)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    result = batch.validate(
        suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": ["row_number"],
            "return_unexpected_index_query": False,
        },
    )
    typed = (
        {c: dict(zip(raw["row_number"], raw[c], strict=True)) for c in raw.columns}
        if raw is not None
        else {}
    )
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for outcome in result.results:
        config = outcome.expectation_config
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"expectation {config.type} on {config.kwargs.get('column')} could not run: "
                f"{outcome.exception_info.get('exception_message')}"
            )
        if outcome.success:
            continue
        column = config.kwargs["column"]
        code = QuarantineCode(config.meta["code"])
        for hit in outcome.result.get("unexpected_index_list") or []:
            row = int(hit["row_number"])
            value = typed[column].get(row) if column in typed else hit.get(column)
            blank = value is None or value != value or not str(value).strip()
            typed_value = {} if blank else {TYPED: str(value)}
            reasons[row].append(Reason(refine(code, None if blank else value), column, typed_value))
    return dict(reasons)
