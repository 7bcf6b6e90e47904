"""The unattended nightly deployment: `jumelage serve` registers and serves `nightly/<name>`.

    deployment_args(config)   # what the deployment is made of (no server needed)
    serve(config, name)       # register it with the Prefect API and run its flow runs

The deployment runs `jumelage.flow.nightly` on the program's cron schedule, in the program's
time zone (default 01:30 America/Montreal), one run at a time (a deployment concurrency
limit of one, and a runner that starts at most one run). Its parameters are `config_path`
(the absolute path of the configuration) and `run_date` (empty: today in the program's time
zone). A manual run takes a date::

    prefect deployment run 'nightly/jumelage' -p run_date=2026-01-10

Any other parameter that the flow declares can be passed the same way (it keeps the flow's
default otherwise): ``-p reprocess=true`` redoes the night of `run_date` after corrections.

A flow run whose process dies (SIGKILL, power loss) would stay Running for ever and hold the
deployment's only concurrency slot. `serve` makes flow runs send a heartbeat every
`HEARTBEAT_SECONDS` and sets up the automation `ZOMBIE_AUTOMATION` on the server: a flow run
that misses its heartbeats for `ZOMBIE_AFTER` is marked Crashed, which frees the slot; the
next night then records the stale `runs` row as interrupted (`jumelage.night`).

A schedule needs a real Prefect server (`prefect server start`) and `PREFECT_API_URL`
pointing at it: with Prefect's temporary in-process server nothing would fire the cron.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jumelage.config import Config
from jumelage.errors import JumelageError

log = logging.getLogger(__name__)

DEFAULT_NAME = "jumelage"
FLOW_NAME = "nightly"
HEARTBEAT_SECONDS = 30  # Prefect's minimum; its default (180 s) leaves a dead run for long
ZOMBIE_AFTER = timedelta(seconds=4 * HEARTBEAT_SECONDS)
ZOMBIE_AUTOMATION = "jumelage: crash flow runs that stopped sending heartbeats"


def deployment_args(config: Config, name: str = DEFAULT_NAME) -> dict[str, Any]:
    """Keyword arguments of ``nightly.to_deployment`` for this program's configuration."""
    from prefect.schedules import Cron

    return {
        "name": name,
        "schedules": [Cron(config.program.schedule, timezone=config.program.timezone)],
        "concurrency_limit": 1,
        "parameters": {"config_path": str(config.source.resolve()), "run_date": None},
        "description": (
            f"Nightly matching of {config.program.name}: every day at "
            f"'{config.program.schedule}' ({config.program.timezone}) on "
            f"{config.data_dir}. A manual run takes run_date (YYYY-MM-DD; empty: today)."
        ),
        "tags": ["jumelage"],
    }


def api_url() -> str:
    """The Prefect API that `serve` talks to, or a clear error when there is none."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise JumelageError(
            "jumelage serve needs a running Prefect server: start one with "
            "`prefect server start` and set PREFECT_API_URL (for example "
            "PREFECT_API_URL=http://127.0.0.1:4200/api); see deploy/README.md"
        )
    return str(url)


def build_deployment(config: Config, name: str = DEFAULT_NAME) -> Any:
    """The `RunnerDeployment` of the nightly flow (importable by module path from any cwd)."""
    from prefect.deployments.runner import EntrypointType

    from jumelage.flow import nightly

    return nightly.to_deployment(
        **deployment_args(config, name), entrypoint_type=EntrypointType.MODULE_PATH
    )


def zombie_automation() -> Any:
    """Prefect's "detect zombie flows" automation: no heartbeat (nor final state) from a
    running flow run for `ZOMBIE_AFTER` -> that flow run is Crashed."""
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    return Automation(
        name=ZOMBIE_AUTOMATION,
        description="Set up by `jumelage serve`: frees the concurrency slot of a dead run.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={
                "prefect.flow-run.heartbeat",
                "prefect.flow-run.Completed",
                "prefect.flow-run.Failed",
                "prefect.flow-run.Cancelled",
                "prefect.flow-run.Crashed",
            },
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=ZOMBIE_AFTER,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message=f"No heartbeat for {int(ZOMBIE_AFTER.total_seconds())} s: the process "
                "running this flow run died (killed, machine stopped).",
            )
        ],
    )


def ensure_zombie_automation() -> None:
    """Create the zombie automation on the server unless one of that name exists."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        if client.read_automations_by_name(ZOMBIE_AUTOMATION):
            return
    zombie_automation().create()


def serve(config: Config, name: str = DEFAULT_NAME) -> None:
    """Register `nightly/<name>` and run its scheduled and manual runs until interrupted."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # read by the flow-run processes that the runner starts (they inherit the environment)
    os.environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", str(HEARTBEAT_SECONDS))
    url = api_url()
    import asyncio

    from prefect.exceptions import TerminationSignal

    ensure_zombie_automation()
    deployment = build_deployment(config, name)
    print(
        f"serving deployment '{FLOW_NAME}/{name}' on {url}: schedule "
        f"'{config.program.schedule}' ({config.program.timezone}), data in {config.data_dir}",
        flush=True,
    )
    runner = _runner(deployment)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass
    finally:
        crash_running(f"{FLOW_NAME}/{name}", "jumelage serve stopped during this run")


STOP_GRACE = 20.0  # seconds the night's process gets to record its interruption on SIGTERM


def _runner(deployment: Any) -> Any:
    """Prefect's runner (one run at a time), waiting on SIGTERM for the night to stop.

    `systemctl stop` sends SIGTERM to every process of the service. Prefect's runner would
    stop at once and kill its flow-run process on the way out, before that process has
    recorded the interruption (`runs`, Crashed state); this runner first waits, at most
    `STOP_GRACE` seconds, for its flow runs to leave the Running state.
    """
    from prefect.runner import Runner

    class GracefulRunner(Runner):
        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            _wait_until_stopped(f"{FLOW_NAME}/{deployment.name}", STOP_GRACE)
            super().handle_sigterm(*args, **kwargs)

    runner = GracefulRunner(pause_on_shutdown=True, limit=1)
    runner.add_deployment(deployment)
    return runner


def _running(client: Any, deployment_name: str) -> list[Any]:
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    deployment = client.read_deployment_by_name(deployment_name)
    return list(
        client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING])
                )
            ),
            limit=20,
        )
    )


def _wait_until_stopped(deployment_name: str, seconds: float) -> None:
    """Until no flow run of the deployment is Running or Pending (or `seconds` passed)."""
    import time

    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + seconds
    try:
        with get_client(sync_client=True) as client:
            while _running(client, deployment_name) and time.monotonic() < deadline:
                time.sleep(0.5)
    except Exception as exc:
        log.warning("could not follow the flow runs while stopping: %s", exc)


def crash_running(deployment_name: str, message: str) -> None:
    """Mark Crashed the flow runs of the deployment still Running when `serve` exits: their
    process is gone (or going), and a Running run would hold the only concurrency slot."""
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    try:
        with get_client(sync_client=True) as client:
            for run in _running(client, deployment_name):
                client.set_flow_run_state(run.id, Crashed(message=message), force=True)
    except Exception as exc:  # the zombie automation will do it
        log.warning("could not mark the interrupted flow runs crashed: %s", exc)


@dataclass(frozen=True)
class Waiting:
    """A flow run of this deployment, not started yet, for an explicit earlier date."""

    flow_run_id: str
    run_date: date
    reprocess: bool


def earlier_waiting(run_date: date) -> list[Waiting]:
    """The runs of the current deployment still waiting (scheduled, pending, or waiting for
    the concurrency slot) whose `run_date` is before `run_date`, oldest date first.

    Prefect gives the slot to waiting runs in no set order: two manual runs queued together
    could run 09-08 before 09-07. The night that gets the slot runs these first. Empty
    outside a deployment's flow run.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.runtime import deployment, flow_run

    if not deployment.id:
        return []
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.SCHEDULED, StateType.PENDING])
                )
            ),
            limit=200,
        )
    found = []
    for run in runs:
        try:
            day = date.fromisoformat(str(run.parameters.get("run_date") or ""))
        except ValueError:
            continue  # no date: today when it runs, never earlier
        if str(run.id) != str(flow_run.id) and day < run_date:
            found.append(Waiting(str(run.id), day, bool(run.parameters.get("reprocess"))))
    return sorted(found, key=lambda w: (w.run_date, w.flow_run_id))


def mark_done(waiting: Waiting) -> None:
    """The waiting run's night was run by the current flow run: it is Completed, so it
    never runs that date again out of order."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run
    from prefect.states import Completed

    message = f"night {waiting.run_date} run in date order by flow run {flow_run.name}"
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(waiting.flow_run_id, Completed(message=message), force=True)


def crash_current_run(message: str) -> None:
    """Mark the current flow run Crashed now (its process is being stopped): the deployment's
    concurrency slot is free at once, without waiting for missed heartbeats. Never raises."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run
    from prefect.states import Crashed

    if not flow_run.id:
        return
    try:
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(flow_run.id, Crashed(message=message), force=True)
    except Exception as exc:  # the zombie automation will do it
        log.warning("could not mark the flow run crashed: %s", exc)
