"""The whole night: seconds per stage on a large pool after a few hundred new registrations.

Usage: .venv/bin/python bench/night.py [--mentees 50000] [--mentors 20000] [--new 500]
                                       [--scenario steady|cold] [--profile demo|national]
                                       [--cprofile STAGE]

Setup (not timed): the whole pool (synthetic registrations, as `jumelage demo` makes them)
goes through ingest, validate and apply on the night before. In the `steady` scenario
(default) it arrives in `--batches` files, each matched as it comes (one more matching round
of that night), so that mentors' seats are taken and the timed night looks like an ordinary
one; in `cold` nobody has been matched yet and the timed night matches the whole pool at
once (at 50,000 x 20,000 that is the first night of a program, not an ordinary one, and
needs far more memory and time). Then a file of `--new` registrations (same
mentee/mentor mix) is dropped in the inbox and the night is timed twice, on two identical
copies of the data directory:

1. stage by stage: `jumelage.stages.STAGES`, the list the flow's tasks run, each stage
   timed (emails go to a local SMTP sink in another process, as a relay would be; the
   Prefect artifact is left out);
2. through the Prefect flow `jumelage.flow.nightly`, after Prefect's own start-up (its
   temporary server), which is timed apart. Prefect overhead = flow − sum of the stages.

`--profile national` shapes the pool like a national program that meets mostly by video
(5 % in person only, against 20 % in the demo's pool): about half of all pairs are eligible.
`--cprofile STAGE` runs that stage under cProfile in part 1 and prints where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import multiprocessing
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Prefect's settings must be in place before it is imported (a throw-away PREFECT_HOME).
_PREFECT_HOME = tempfile.mkdtemp(prefix="jumelage-bench-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_UI_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# the demo's configuration reads a program mailbox, whose answer buttons need a signing key;
# the bench runs that mailbox (pymap, empty) so that `mail_in` really reads it
os.environ.setdefault("JUMELAGE_SECRET", "bench-" + "0" * 58)
IMAP_PASSWORD = "bench-imap"
os.environ["JUMELAGE_IMAP_PASSWORD"] = IMAP_PASSWORD

from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from jumelage import stages  # noqa: E402
from jumelage.config import Config, load_config  # noqa: E402
from jumelage.demo.files import write_csv  # noqa: E402
from jumelage.demo.program import ProgramGenerator, registration_row  # noqa: E402
from jumelage.demo.run import MAILBOX, demo_config  # noqa: E402
from jumelage.imapserver import ImapServer  # noqa: E402
from jumelage.mailsink import MailSink, free_port  # noqa: E402
from jumelage.matching.match import match_night  # noqa: E402
from jumelage.night import open_night  # noqa: E402

SETUP_NIGHT = date(2026, 3, 1)
NIGHT = SETUP_NIGHT + timedelta(days=1)
TARGET_SECONDS = 30.0  # an ordinary (steady) night; a cold first night: COLD_TARGET_SECONDS
COLD_TARGET_SECONDS = 60.0
STAGES = stages.NAMES


#: Meeting modes (both, virtual, in person only) of each pool shape.
POOL_MODES = {"demo": None, "national": [12, 7, 1]}


def _rows(
    gen: ProgramGenerator,
    mentees: int,
    mentors: int,
    first_day: date,
    last_day: date,
    profile: str = "demo",
) -> list[dict[str, str]]:
    """Mentees and mentors interleaved, registered evenly over [first_day, last_day]."""
    modes = POOL_MODES[profile]
    shape = random.Random(len(profile))
    total = mentees + mentors
    span = max((last_day - first_day).days, 0)
    rows = []
    made = {"mentee": 0, "mentor": 0}
    for i in range(total):
        # Bresenham-like interleaving keeps the mix even along the file
        role = "mentor" if (i + 1) * mentors // total > made["mentor"] else "mentee"
        made[role] += 1
        day = first_day + timedelta(days=span * i // max(total - 1, 1))
        person = gen.person(role, day)
        if modes is not None:
            mode = shape.choices(["les deux", "virtuel", "présentiel"], weights=modes)[0]
            person = dataclasses.replace(person, meeting_mode=mode)
        rows.append(registration_row(person, gen))
    return rows


def _sink(port: int, directory: Path, ready: Any, stop: Any, received: Any) -> None:
    with MailSink(directory, port=port) as sink:
        ready.set()
        while not stop.wait(0.1):
            received.value = len(sink.raw)
        received.value = len(sink.raw)


@contextlib.contextmanager
def sink_process(port: int, directory: Path) -> Iterator[Any]:
    """The SMTP sink in its own process (in this one it would share the GIL with the
    sender); yields the shared count of the messages it received (a tenth of a second
    late)."""
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    received = multiprocessing.Value("i", 0)
    child = multiprocessing.Process(target=_sink, args=(port, directory, ready, stop, received))
    child.start()
    ready.wait(30)
    try:
        yield received
    finally:
        stop.set()
        child.join(60)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(name: str, fn: Callable[[], Any], profile: list[str]) -> tuple[float, Any]:
    profiler = cProfile.Profile() if name in profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = fn()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        print(f"\n--- cProfile of {name} ({seconds:.2f} s): top 30 by cumulative time ---")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    return seconds, result


def setup(root: Path, args: argparse.Namespace, smtp_port: int, imap_port: int) -> Config:
    """The pool in a warehouse, matched (steady) or not (cold): not timed."""
    config_path = root / "jumelage.toml"
    root.mkdir(parents=True)
    config_path.write_text(demo_config(smtp_port=smtp_port, imap_port=imap_port), encoding="utf-8")
    config = load_config(config_path)
    inbox = config.data_dir / "inbox"
    gen = ProgramGenerator(seed=args.seed)

    t = time.perf_counter()
    first = SETUP_NIGHT - timedelta(days=365)
    pool = _rows(gen, args.mentees, args.mentors, first, SETUP_NIGHT, args.profile)
    print(f"setup: {len(pool):,} pool registrations generated in {time.perf_counter() - t:.1f} s")

    # The pool arrives in batches, each matched as it comes (steady), as a real pool grows:
    # matching 50,000 waiting mentees at once is the `cold` scenario, not an ordinary night.
    batches = max(1, args.batches if args.scenario == "steady" else 1)
    size = -(-len(pool) // batches)
    loaded = matching = 0.0
    with Progress(
        TextColumn("setup: pool batches"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        bar = progress.add_task("batches", total=batches)
        for i in range(batches):
            write_csv(inbox / f"inscriptions-bassin-{i:02d}.csv", pool[i * size : (i + 1) * size])
            t = time.perf_counter()
            with open_night(config, SETUP_NIGHT) as night:
                # the pool's history: read and applied, matched below without emails
                stages.run(night, skip=STAGES[STAGES.index("match") :])
                stats = night.results["apply"]
                loaded += time.perf_counter() - t
                if args.scenario == "steady":
                    t = time.perf_counter()
                    # no emails: the pool's history is not what is timed
                    matched = match_night(night.con, config, SETUP_NIGHT, rematch=i > 0)
                    matching += time.perf_counter() - t
                    progress.console.print(
                        f"setup: batch {i + 1}/{batches}: {stats['mentees_active']:,} mentees, "
                        f"{stats['mentors_active']:,} mentors, {matched.proposals.height:,} "
                        f"proposals, {matched.unmatched.height:,} waiting "
                        f"(matched in {time.perf_counter() - t:.1f} s, "
                        f"peak RSS {_rss_mib():,.0f} MiB)",
                        soft_wrap=True,
                    )
            progress.advance(bar)
    print(
        f"setup: pool loaded in {loaded:.1f} s, matched in {matching:.1f} s "
        f"({stats['mentees_active']:,} mentees and {stats['mentors_active']:,} mentors active)"
    )

    new_mentors = round(args.new * args.mentors / (args.mentees + args.mentors))
    new = _rows(gen, args.new - new_mentors, new_mentors, NIGHT, NIGHT, args.profile)
    write_csv(inbox / "inscriptions-nouvelles.csv", new, separator=";", encoding="cp1252")
    print(f"setup: {len(new)} new registrations ({new_mentors} mentors) dropped in the inbox")
    return config


def stage_by_stage(config: Config, profile: list[str]) -> tuple[dict[str, float], dict]:
    seconds: dict[str, float] = {}
    facts: dict[str, Any] = {}
    started = time.perf_counter()
    with open_night(config, NIGHT) as night:
        seconds["open"] = time.perf_counter() - started
        for stage in stages.STAGES:
            seconds[stage.name], night.results[stage.name] = _timed(
                stage.name, lambda stage=stage: stage.run(night), profile
            )
        closing = time.perf_counter()
    seconds["open"] += time.perf_counter() - closing  # open + close of the night
    results, matched, sent = (night.results[k] for k in ("validate", "match", "notify"))
    report = night.results["report"]
    facts.update(
        seconds_scoring=matched.stats.get("seconds_scoring", 0.0),
        seconds_assignment=matched.stats.get("seconds_assignment", 0.0),
        report_bytes=report.path.stat().st_size,
        workbook_bytes=report.workbook.stat().st_size if report.workbook else 0,
        rows=sum(r.rows_read for r in results),
        accepted=sum(r.accepted for r in results),
        proposals=matched.proposals.height,
        waiting=matched.unmatched.height,
        sent=len(sent.sent),
        queued=len(sent.still_queued),
        smtp_error=sent.error,
    )
    return seconds, facts


def through_prefect(config: Config) -> tuple[float, float, dict]:
    from prefect import flow

    @flow(name="warm-up", persist_result=False)
    def warm_up() -> int:
        return 1

    started = time.perf_counter()
    warm_up()  # Prefect's temporary server and the client: start-up, not the night
    startup = time.perf_counter() - started

    from jumelage.flow import nightly

    started = time.perf_counter()
    summary = nightly(run_date=NIGHT, config_path=str(config.source))
    return startup, time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentees", type=int, default=50_000)
    parser.add_argument("--mentors", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=500, help="new registrations tonight")
    parser.add_argument("--scenario", choices=("steady", "cold"), default="steady")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--batches", type=int, default=10, help="steady: the pool arrives in this many nights"
    )
    parser.add_argument("--profile", choices=sorted(POOL_MODES), default="demo", help="pool shape")
    parser.add_argument(
        "--cprofile", choices=STAGES, nargs="+", default=[], help="cProfile these stages"
    )
    parser.add_argument("--no-prefect", action="store_true", help="skip the run through Prefect")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="work in this directory and keep it; its setup/ is reused by the next run "
        "(same sizes and seed assumed)",
    )
    args = parser.parse_args()

    from jumelage.validate.suites import _context

    _context()  # Great Expectations import and context: a fixed start-up cost, not the night

    tmp = None
    if args.keep is None:
        tmp = tempfile.TemporaryDirectory(prefix="jumelage-bench-night-")
        base = Path(tmp.name)
    else:
        base = args.keep.resolve()
    smtp_port = free_port()
    imap = ImapServer(MAILBOX, IMAP_PASSWORD).__enter__()  # the program mailbox, empty
    try:
        print(
            f"pool: {args.mentees:,} mentees × {args.mentors:,} mentors, {args.new} new "
            f"registrations, scenario {args.scenario}, pool {args.profile}; "
            f"{os.cpu_count()} CPU(s)"
        )
        pristine = base / "setup"
        if (pristine / "jumelage.toml").is_file():
            print(f"setup: reusing {pristine} (built by an earlier --keep run)")
        else:
            setup(pristine, args, smtp_port, imap.port)
        for copy in ("stages", "flow"):  # the same night twice: stage by stage, and in Prefect
            shutil.rmtree(base / copy, ignore_errors=True)
            shutil.copytree(pristine, base / copy)
            (base / copy / "jumelage.toml").write_text(
                demo_config(smtp_port=smtp_port, imap_port=imap.port), encoding="utf-8"
            )
        config_a = load_config(base / "stages" / "jumelage.toml")
        config_b = load_config(base / "flow" / "jumelage.toml")

        with sink_process(smtp_port, base / "sink") as received:
            seconds, facts = stage_by_stage(config_a, args.cprofile)
            # already shown, in case the run through Prefect never ends
            print("stage by stage:", {k: round(v, 2) for k, v in seconds.items()}, flush=True)
            time.sleep(0.3)
            delivered = received.value
            if not args.no_prefect:
                startup, flow_total, summary = through_prefect(config_b)
    finally:
        imap.__exit__(None, None, None)
        if tmp is not None:
            tmp.cleanup()
        shutil.rmtree(_PREFECT_HOME, ignore_errors=True)

    total = sum(seconds.values())
    smtp = f" — SMTP: {facts['smtp_error']}" if facts["smtp_error"] else ""
    print(
        f"\nnight of {NIGHT}: {facts['rows']} rows read, {facts['accepted']} accepted, "
        f"{facts['proposals']} proposals, {facts['waiting']:,} mentees waiting, "
        f"{facts['sent']} emails sent ({delivered} delivered to the sink), "
        f"{facts['queued']} queued{smtp}"
    )
    print(f"\n{'stage':<22} {'seconds':>8}")
    print(f"{'-' * 22} {'-' * 8}")
    for name in ("open", *STAGES):
        label = "open + close" if name == "open" else name
        print(f"{label:<22} {seconds[name]:>8.2f}")
        if name == "match":
            after = seconds[name] - facts["seconds_scoring"] - facts["seconds_assignment"]
            for part, value in (
                ("pool + scoring", facts["seconds_scoring"]),
                ("assignment", facts["seconds_assignment"]),
                ("after the assignment", after),
            ):
                print(f"{'  ' + part:<22} {value:>8.2f}")
    print(f"{'-' * 22} {'-' * 8}")
    print(f"{'sum of the stages':<22} {total:>8.2f}")
    print(
        f"report page {facts['report_bytes'] / 1e6:.2f} MB, workbook "
        f"{facts['workbook_bytes'] / 1e6:.2f} MB"
    )
    if not args.no_prefect:
        print(f"{'through Prefect':<22} {flow_total:>8.2f}")
        print(f"{'Prefect overhead':<22} {flow_total - total:>8.2f}")
        print(f"{'(Prefect start-up)':<22} {startup:>8.2f}")
        if summary["proposals"] != facts["proposals"]:
            print(
                f"warning: the flow made {summary['proposals']} proposals, the stages "
                f"{facts['proposals']}"
            )
    night_total = flow_total if not args.no_prefect else total
    target = COLD_TARGET_SECONDS if args.scenario == "cold" else TARGET_SECONDS
    verdict = "within" if night_total <= target else "OVER"
    print(
        f"\n{night_total:.1f} s beyond Prefect start-up: {verdict} the {target:.0f} s "
        f"target; peak RSS {_rss_mib():,.0f} MiB"
    )


if __name__ == "__main__":
    from jumelage.cli_command import exit_quietly

    main()
    exit_quietly(0)  # as the CLI does: no `nanobind: leaked` lines after the figures
