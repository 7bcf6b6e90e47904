"""Fixtures for the email tests: a real aiosmtpd server on 127.0.0.1 and a warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jumelage import warehouse
from jumelage.config import Config
from jumelage.mailsink import MailSink
from tests.notify.helpers import make_config


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "outbox") as server:
        yield server


@pytest.fixture
def config(tmp_path: Path, sink: MailSink) -> Config:
    return make_config(tmp_path, sink.port)


@pytest.fixture
def con(config: Config) -> Iterator[Any]:
    connection = warehouse.connect(config.data_dir)
    yield connection
    connection.close()
