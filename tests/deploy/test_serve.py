"""A served deployment on a real Prefect server: its schedule, and a manual run with a date.

Starts `prefect server start` (own PREFECT_HOME, free port) and `jumelage serve` as real
processes, triggers `nightly/<name>` with run_date=2026-01-10 through the Prefect client,
and checks the flow run and the warehouse.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from jumelage.demo.files import write_csv
from jumelage.mailsink import MailSink, free_port

from ..conftest import BASE_CONFIG, reg

pytestmark = pytest.mark.prefect

NAME = "essai"
SERVER_START_TIMEOUT = 90
REGISTER_TIMEOUT = 60
RUN_TIMEOUT = 150


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill; reap in both cases."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _tail(path: Path, n: int = 3000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else ""


def _env(tmp: Path, api_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(tmp / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
    )
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `prefect server start` on a free port; yields its API URL."""
    tmp = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port)],
            env=_env(tmp), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"prefect server exited ({proc.returncode}):\n{_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"prefect server not healthy after {SERVER_START_TIMEOUT}s:\n{_tail(log)}"
                )
            time.sleep(0.5)
        yield url
    finally:
        _stop(proc)


def _serve_command(config_path: Path) -> list[str]:
    """`jumelage serve` once the main CLI has it, else the same command through its module."""
    from jumelage.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    if "serve" in sub.choices:  # type: ignore[operator]
        return [sys.executable, "-m", "jumelage.cli", "serve", "--config", str(config_path),
                "--name", NAME]  # fmt: skip
    return [sys.executable, "-m", "jumelage.cli_serve", "--config", str(config_path),
            "--name", NAME]  # fmt: skip


@dataclass
class Served:
    api_url: str
    config_path: Path
    data_dir: Path
    log: Path
    proc: subprocess.Popen[bytes]
    sink: MailSink


@pytest.fixture(scope="module")
def served(prefect_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`jumelage serve` (a real process) on a tiny program whose SMTP server is a local sink."""
    tmp = tmp_path_factory.mktemp("program")
    smtp_port = free_port()
    config_path = tmp / "jumelage.toml"
    config_path.write_text(
        BASE_CONFIG + f'\n[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\n', encoding="utf-8"
    )
    data_dir = tmp / "data"
    write_csv(
        data_dir / "inbox" / "inscriptions.csv",
        [
            reg(email="a@x.ca"),
            reg(email="m@x.ca", role="mentor", management_level="3", competencies="leadership"),
        ],
    )
    log = tmp / "serve.log"
    with MailSink(tmp / "sink", port=smtp_port) as sink, log.open("wb") as out:
        proc = subprocess.Popen(
            _serve_command(config_path),
            cwd=tmp,  # the deployment must not depend on the working directory
            env=_env(tmp, prefect_server),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield Served(prefect_server, config_path, data_dir, log, proc, sink)
        finally:
            _stop(proc)


@asynccontextmanager
async def _client(api_url: str) -> AsyncIterator[Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        async with get_client() as client:
            yield client


async def _deployment(client: Any, served: Served) -> Any:
    """The deployment once `jumelage serve` has registered it (bounded wait)."""
    deadline = time.monotonic() + REGISTER_TIMEOUT
    while True:
        if served.proc.poll() is not None:
            pytest.fail(f"jumelage serve exited ({served.proc.returncode}):\n{_tail(served.log)}")
        try:
            return await client.read_deployment_by_name(f"nightly/{NAME}")
        except Exception:
            if time.monotonic() > deadline:
                pytest.fail(f"deployment not registered in time:\n{_tail(served.log)}")
            await asyncio.sleep(0.5)


async def _registered_and_run(served: Served) -> tuple[Any, Any, Any]:
    """The deployment, a manual run for 2026-01-10, then a reprocessing of that date."""
    from prefect.deployments import run_deployment

    async with _client(served.api_url) as client:
        deployment = await _deployment(client, served)
        flow_run = await run_deployment(
            name=f"nightly/{NAME}",
            parameters={"run_date": "2026-01-10"},
            timeout=RUN_TIMEOUT,
            poll_interval=1,
        )
        again = await run_deployment(
            name=f"nightly/{NAME}",
            parameters={"run_date": "2026-01-10", "reprocess": True},
            timeout=RUN_TIMEOUT,
            poll_interval=1,
        )
    return deployment, flow_run, again


async def _scheduled_runs(served: Served) -> list[Any]:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    async with _client(served.api_url) as client:
        deployment = await _deployment(client, served)
        deadline = time.monotonic() + 15
        while True:
            runs = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                limit=50,
            )
            scheduled = [r for r in runs if r.state_type.value == "SCHEDULED"]
            if scheduled or time.monotonic() > deadline:
                return scheduled
            await asyncio.sleep(1)


def test_cron_schedule_puts_the_next_nights_on_the_calendar(served: Served):
    """The server's scheduler creates the next runs at 01:30 Montréal time (DST included).

    Fails with SQLAlchemy 2.1 under Prefect 3.8.8 (the scheduler's bulk insert raises
    "Can't evaluate bulk DML statement"): hence sqlalchemy<2.1 in the lock file.
    """
    scheduled = asyncio.run(_scheduled_runs(served))
    assert scheduled, "the server's scheduler created no run from the cron schedule"
    for run in scheduled:
        local = run.expected_start_time.astimezone(ZoneInfo("America/Montreal"))
        assert (local.hour, local.minute) == (1, 30)
        assert run.parameters.get("run_date") is None  # today, in the program's time zone


def test_served_deployment_manual_run_with_a_date(served: Served):
    deployment, flow_run, again = asyncio.run(_registered_and_run(served))

    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "30 1 * * *"
    assert schedule.schedule.timezone == "America/Montreal"
    assert schedule.active and not deployment.paused
    limit = deployment.global_concurrency_limit
    assert limit is not None and limit.limit == 1
    assert deployment.parameters == {
        "config_path": str(served.config_path.resolve()),
        "run_date": None,
    }

    assert flow_run.state is not None and flow_run.state.is_completed(), (
        f"{flow_run.state}\n{_tail(served.log)}"
    )
    assert str(flow_run.parameters["run_date"]) == "2026-01-10"
    # the reprocessing flag goes through the deployment too; nothing is sent twice
    assert again.state is not None and again.state.is_completed(), (
        f"{again.state}\n{_tail(served.log)}"
    )
    assert again.parameters["reprocess"] is True
    kinds = [m["X-Jumelage-Kind"] for m in served.sink.messages]
    assert kinds.count("proposal") == 1, kinds  # the daily report may go out too

    # DuckDB is single-process: read the warehouse once `jumelage serve` has stopped.
    _stop(served.proc)
    con = duckdb.connect(str(served.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        runs = con.execute(
            "select cast(run_date as varchar), kind, status, attempts from runs"
        ).fetchall()
        proposals = con.execute("select mentee_email, mentor_email from proposals").fetchall()
    finally:
        con.close()
    assert runs == [("2026-01-10", "reprocess", "succeeded", 2)]
    assert proposals == [("a@x.ca", "m@x.ca")]
