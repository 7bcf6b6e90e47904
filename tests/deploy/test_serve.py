"""A served deployment on a real Prefect server: its schedule, a manual run with a date,
Prefect's own CLI, and nights killed mid-run that recover by themselves.

Starts `prefect server start` (own PREFECT_HOME, free port) and `jumelage serve` as real
processes, triggers `nightly/<name>` with run_date=2026-01-10 through `prefect deployment
run` and the Prefect client, and checks the flow run and the warehouse.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
ZOMBIE_TIMEOUT = 300  # heartbeats every 30 s, Crashed after 120 s without, then evaluation


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


def _serve_command(config_path: Path, name: str = NAME) -> list[str]:
    """`jumelage serve --config PATH --name NAME`."""
    return [sys.executable, "-m", "jumelage.cli", "serve", "--config", str(config_path),
            "--name", name]  # fmt: skip


def _start_serve(api_url: str, config_path: Path, log: Path, name: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            _serve_command(config_path, name),
            cwd=config_path.parent,  # the deployment must not depend on the working directory
            env=_env(config_path.parent, api_url),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@dataclass
class Served:
    api_url: str
    config_path: Path
    data_dir: Path
    log: Path
    proc: subprocess.Popen[bytes]
    sink: MailSink | None
    name: str = NAME


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
    with MailSink(tmp / "sink", port=smtp_port) as sink:
        proc = _start_serve(prefect_server, config_path, log, NAME)
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
            return await client.read_deployment_by_name(f"nightly/{served.name}")
        except Exception:
            if time.monotonic() > deadline:
                pytest.fail(f"deployment not registered in time:\n{_tail(served.log)}")
            await asyncio.sleep(0.5)


def _prefect(served: Served, *args: str) -> str:
    """Prefect's own command line against the server, as an operator types it."""
    done = subprocess.run(
        [sys.executable, "-m", "prefect", *args],
        env={**_env(served.config_path.parent, served.api_url), "COLUMNS": "250"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


async def _finished(client: Any, flow_run_id: Any, timeout: float = RUN_TIMEOUT) -> Any:
    """The flow run once it reached a final state (bounded wait)."""
    deadline = time.monotonic() + timeout
    while True:
        flow_run = await client.read_flow_run(flow_run_id)
        if flow_run.state is not None and flow_run.state.is_final():
            return flow_run
        if time.monotonic() > deadline:
            pytest.fail(f"flow run still {flow_run.state} after {timeout} s")
        await asyncio.sleep(1)


async def _registered_and_run(served: Served) -> tuple[Any, Any, Any]:
    """The deployment, a manual run for 2026-01-10 typed with Prefect's CLI, then a
    reprocessing of that date through the Prefect client."""
    from prefect.deployments import run_deployment

    async with _client(served.api_url) as client:
        deployment = await _deployment(client, served)
        out = _prefect(served, "deployment", "run", f"nightly/{NAME}", "-p", "run_date=2026-01-10")
        (flow_run_id,) = re.findall(r"UUID: ([0-9a-f-]{36})", out)
        flow_run = await _finished(client, flow_run_id)
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

    # Prefect's CLI reads what the server holds (FastAPI >= 0.151 answered 422 here)
    assert f"nightly/{NAME}" in _prefect(served, "deployment", "ls")
    inspect = _prefect(served, "deployment", "inspect", f"nightly/{NAME}")
    assert "30 1 * * *" in inspect and str(served.config_path.resolve()) in inspect
    listed = _prefect(served, "flow-run", "ls", "--limit", "20")
    assert flow_run.name in listed and "COMPLETED" in listed

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


class SilentSmtp:
    """A TCP server that accepts connections and never answers: the night's notify stage
    waits on it, so the night is mid-run for as long as the test needs."""

    def __init__(self, port: int) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen()
        self.connected = threading.Event()
        self.clients: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)
            self.connected.set()

    def __enter__(self) -> SilentSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        for client in self.clients:
            client.close()


async def _mid_run(client: Any, served: Served, silent: SilentSmtp, run_date: str) -> Any:
    """A manual run of `run_date`, once it is stuck in its notify stage."""
    from prefect.deployments import run_deployment

    await _deployment(client, served)
    silent.connected.clear()
    flow_run = await run_deployment(
        name=f"nightly/{served.name}", parameters={"run_date": run_date}, timeout=0
    )
    if not await asyncio.to_thread(silent.connected.wait, RUN_TIMEOUT):
        pytest.fail(f"the night never reached its notify stage:\n{_tail(served.log)}")
    return flow_run


def _runs(data_dir: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select cast(run_date as varchar), status, stage from runs order by run_date"
        ).fetchall()
    finally:
        con.close()


def test_killed_nights_recover_by_themselves(prefect_server: str, tmp_path: Path):
    """SIGTERM (systemctl stop), then SIGKILL, of `jumelage serve` mid-run: the next manual
    run starts and completes with nobody cancelling anything, each interrupted night is
    `interrupted` in `runs` and emailed once to the operators."""
    name, smtp_port = "reprise", free_port()
    config_path = tmp_path / "jumelage.toml"

    def smtp_on(port: int) -> None:
        config_path.write_text(
            BASE_CONFIG + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout = 900.0\n',
            encoding="utf-8",
        )

    smtp_on(smtp_port)
    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    write_csv(
        data_dir / "inbox" / "inscriptions.csv",
        [
            reg(email="a@x.ca"),
            reg(email="m@x.ca", role="mentor", management_level="3", competencies="leadership"),
        ],
    )

    def serving(sink: MailSink | None = None) -> Served:
        proc = _start_serve(prefect_server, config_path, log, name)
        return Served(prefect_server, config_path, data_dir, log, proc, sink, name)

    async def scenario() -> tuple[Any, Any, Any, MailSink]:
        async with _client(prefect_server) as client:
            with SilentSmtp(smtp_port) as silent:
                served = serving()
                try:
                    terminated = await _mid_run(client, served, silent, "2026-09-07")
                    _stop(served.proc)  # SIGTERM to the group, as `systemctl stop` sends
                    # marked at once: no heartbeat timeout is needed for a clean stop
                    terminated = await _finished(client, terminated.id, timeout=30)
                    assert _runs(data_dir) == [("2026-09-07", "interrupted", "notify")]

                    served = serving()
                    killed = await _mid_run(client, served, silent, "2026-09-08")
                    os.killpg(served.proc.pid, signal.SIGKILL)  # the runner and the night
                    served.proc.wait(timeout=30)
                finally:
                    _stop(served.proc)
            # a working SMTP server (on another port: the killed connections linger)
            with MailSink(tmp_path / "sink") as sink:
                smtp_on(sink.port)
                served = serving(sink)
                try:
                    from prefect.deployments import run_deployment

                    await _deployment(client, served)
                    # two manual runs queued together, the later date first and due first
                    # (the earlier one due in an hour): 09-10 gets the dead run's slot, which
                    # the zombie automation frees, and must run 09-09 before its own night
                    later = await run_deployment(
                        name=f"nightly/{name}", parameters={"run_date": "2026-09-10"}, timeout=0
                    )
                    earlier = await run_deployment(
                        name=f"nightly/{name}",
                        parameters={"run_date": "2026-09-09"},
                        scheduled_time=datetime.now(UTC) + timedelta(hours=1),
                        timeout=0,
                    )
                    queued = [later, earlier]
                    after = [
                        await _finished(client, run.id, ZOMBIE_TIMEOUT + 2 * RUN_TIMEOUT)
                        for run in queued
                    ]
                    killed = await client.read_flow_run(killed.id)
                finally:
                    _stop(served.proc)
            return terminated, killed, after, sink

    terminated, killed, after, sink = asyncio.run(scenario())
    assert terminated.state.is_crashed(), terminated.state
    assert killed.state.is_crashed(), killed.state
    assert "heartbeat" in (killed.state.message or ""), killed.state.message
    assert all(run.state.is_completed() for run in after), f"{after}\n{_tail(log)}"
    assert "in date order" in (after[1].state.message or ""), after[1].state
    assert _runs(data_dir) == [
        ("2026-09-07", "interrupted", "notify"),
        ("2026-09-08", "interrupted", None),
        ("2026-09-09", "succeeded", None),
        ("2026-09-10", "succeeded", None),
    ]
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:  # in date order, each once, whichever of the two runs got the slot first
        order = con.execute(
            "select cast(run_date as varchar), attempts from runs "
            "where run_date >= '2026-09-09' order by started_at"
        ).fetchall()
    finally:
        con.close()
    assert order == [("2026-09-09", 1), ("2026-09-10", 1)]
    told = sorted(m["Subject"] for m in sink.messages if m["X-Jumelage-Kind"] == "run_failed")
    assert len(told) == 2, told
    assert "7 septembre 2026 a été interrompue" in told[0]
    assert "8 septembre 2026 a été interrompue" in told[1]
    assert all(m["To"] == "coord@example.org" for m in sink.messages
               if m["X-Jumelage-Kind"] == "run_failed")  # fmt: skip
