"""Fixtures: a warehouse holding the scripted program, and its report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lxml import html as lxml_html

from jumelage import warehouse
from jumelage.config import Config
from jumelage.report import Report, build_report
from tests.report.program import RUN_DATE, script


@pytest.fixture
def con(config: Config) -> Iterator[Any]:
    connection = warehouse.connect(config.data_dir)
    yield connection
    connection.close()


@pytest.fixture
def scripted(con: Any) -> Any:
    with warehouse.transaction(con):
        script(con)
    return con


@pytest.fixture
def report(scripted: Any, config: Config) -> Report:
    return build_report(scripted, config, RUN_DATE)


def metrics(page: str) -> dict[str, str]:
    """The numbers shown on the page, by their data-metric name."""
    tree = lxml_html.fromstring(page)
    return {
        e.get("data-metric"): e.text_content().strip() for e in tree.iter() if e.get("data-metric")
    }


def table_rows(page: str, name: str) -> list[list[str]]:
    """The body rows of the table data-table=name, as lists of cell texts."""
    tree = lxml_html.fromstring(page)
    tables = tree.xpath(f'//table[@data-table="{name}"]')
    if not tables:
        return []
    return [
        [" ".join(" ".join(td.itertext()).split()) for td in tr.xpath("./td")]
        for tr in tables[0].xpath("./tbody/tr")
    ]
