"""The wheel is self-contained: installed non-editable, it runs the demo away from the checkout.

`sql/` and `expectations/` reach the package through symlinks (see `jumelage.paths`); a wheel
that lost them would still pass every other test, which run from the checkout.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the build reads, copied so that a stale build/ or egg-info in the checkout cannot leak
# into the wheel and two sessions building at once do not share a build directory.
SOURCES = ("pyproject.toml", "README.md", "src", "flows", "sql", "expectations")

# Where the fresh venv finds the code and the resources: all must be inside it.
PROBE = """
import flows, jumelage, jumelage.paths as p
print(jumelage.__file__, flows.__file__, p.sql_path("migrations"), sep="\\n")
print(p.expectation_path("events.json"), p.sql_path("tables/participants/from_registrations.sql"), sep="\\n")
"""


def _clean_env() -> dict[str, str]:
    """This environment without what would point Python or jumelage at the checkout."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        and not k.startswith(("JUMELAGE_", "PREFECT_"))
    }


def _run(cmd: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    """Run `cmd` in a clean environment; on failure the assertion shows its output."""
    kwargs.setdefault("env", _clean_env())
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, check=False, **kwargs
    )
    assert done.returncode == 0, (
        f"{cmd} exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    return done


def _pip(*args: str | Path) -> list[str | Path]:
    # no network: --no-index, --no-deps, and builds use this venv's setuptools
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    tree.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                tree / name,
                symlinks=True,  # the relative links src/jumelage/{sql,expectations} stay links
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )
        else:
            shutil.copy2(source, tree / name)
    dist = work / "dist"
    _run(_pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, tree))
    (built,) = dist.glob("jumelage-*.whl")
    return built


def test_the_wheel_carries_every_sql_model_and_suite(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        entries = {info.filename: info for info in whl.infolist()}
    for top in ("sql", "expectations"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_dir():
                continue
            name = f"jumelage/{path.relative_to(ROOT).as_posix()}"
            assert name in entries, f"{name} is missing from {wheel.name}"
            mode = entries[name].external_attr >> 16
            assert not stat.S_ISLNK(mode), f"{name} is a symlink in the wheel"
    assert "jumelage/templates/report/report.html" in entries
    assert "flows/nightly.py" in entries


@pytest.mark.prefect
def test_the_installed_wheel_runs_the_demo_from_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    env = _clean_env() | {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run(_pip("--python", python, "install", "--no-deps", "--no-index", wheel))

    # The dependencies already installed here, made visible without reinstalling them; added
    # after the install, else pip would find this venv's jumelage already installed. A path in
    # a .pth file is not a site directory: the project's editable-install hook does not run.
    where = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    deps = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    pth = Path(where.stdout.strip()) / "zz_jumelage_test_deps.pth"
    pth.write_text("\n".join(deps) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = _run([python, "-c", PROBE], cwd=elsewhere, env=env)
    assert len(probe.stdout.splitlines()) == 5, probe.stdout
    for line in probe.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(venv.resolve()), f"{line} is outside {venv}"

    demo = tmp_path / "demo"
    run = _run(
        [venv / "bin" / "jumelage", "demo", "--dir", demo, "--nights", "2"],
        cwd=elsewhere,
        env=env,
        timeout=480,
    )
    assert f"demo: program written to {demo / 'jumelage.toml'}" in run.stdout
    data = demo / "data"
    reports = sorted(p.name for p in (data / "reports").glob("report-*.html"))
    assert reports == ["report-2026-09-01.html", "report-2026-09-02.html"]
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        # fetchall: DuckDB 2.0 leaves a fetchone() result unfinished
        ((versions,),) = con.execute("select count(*) from schema_version").fetchall()
        ((participants,),) = con.execute("select count(*) from participants").fetchall()
    finally:
        con.close()
    assert versions == len(list((ROOT / "sql" / "migrations").glob("*.sql")))
    assert participants > 0
    assert not list(elsewhere.iterdir()), "the demo wrote into the current directory"
