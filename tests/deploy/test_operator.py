"""What deploy/README.md tells a new operator on Debian, checked without systemd running:
the units pass `systemd-analyze verify`, and the backup and restore commands give a data
directory the next night carries on from."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from jumelage.demo.files import write_csv
from jumelage.lock import data_dir_lock
from tests.nights import run_night

from ..conftest import reg

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
README = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")


def test_units_pass_systemd_analyze_verify(tmp_path):
    """Every key known to systemd, every command executable (with this venv in place of
    /opt/jumelage/.venv)."""
    venv = Path(sys.executable).parent.parent
    units = []
    for unit in sorted(UNITS.glob("*.service")):
        text = unit.read_text(encoding="utf-8").replace("/opt/jumelage/.venv", str(venv))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
        units.append(str(tmp_path / unit.name))
    assert len(units) == 2
    done = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    serve = (UNITS / "jumelage-serve.service").read_text(encoding="utf-8")
    assert "LoadCredential=smtp-password:/etc/jumelage/smtp-password" in serve
    assert "StateDirectory=jumelage" in serve and "User=jumelage" in serve


def _runs(data_dir: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select cast(run_date as varchar), status from runs order by run_date"
        ).fetchall()
    finally:
        con.close()


def test_backup_under_the_lock_and_restore(config, tmp_path):
    data = config.data_dir
    write_csv(
        data / "inbox" / "inscriptions.csv",
        [reg(email="a@x.ca"), reg(email="m@x.ca", role="mentor", management_level="3",
                                  competencies="leadership", goals="")],
    )  # fmt: skip
    run_night(config, date(2026, 9, 7))
    archive = tmp_path / "data-2026-09-07.tar.gz"
    # the README's command, with this test's paths
    assert "flock --wait 3600 /var/lib/jumelage/data/.jumelage.lock" in README
    backup = ["flock", "--wait", "1", str(data / ".jumelage.lock"),
              "tar", "-C", str(data.parent), "-czf", str(archive), data.name]  # fmt: skip

    with data_dir_lock(data):  # a night in progress: the backup waits, then gives up
        waited = subprocess.run(backup, capture_output=True, text=True, timeout=60)
    assert waited.returncode != 0 and not archive.exists()
    done = subprocess.run(backup, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    # the machine is lost; restore as the README says, and the next night carries on
    shutil.rmtree(data)
    assert "tar -C /var/lib/jumelage -xzf" in README
    subprocess.run(["tar", "-C", str(data.parent), "-xzf", str(archive)], check=True, timeout=120)
    assert _runs(data) == [("2026-09-07", "succeeded")]
    run_night(config, date(2026, 9, 8))
    assert _runs(data) == [("2026-09-07", "succeeded"), ("2026-09-08", "succeeded")]
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from proposals").fetchall() == [(1,)]
    finally:
        con.close()
