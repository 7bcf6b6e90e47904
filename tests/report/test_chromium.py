"""The report in a real browser: headless Chromium loads it with no failed request and no
console error, shows every chart, and gives a screenshot (checked by eye for docs/)."""

from __future__ import annotations

import shutil
import struct

import pytest

from jumelage.report import build_report
from tests.report.chromium import CHROMIUM, load_page
from tests.report.program import RUN_DATE


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_chromium_is_installed():
    # .ci/run installs Debian's chromium when absent; no skip when it is missing.
    assert shutil.which("chromium") or shutil.which(CHROMIUM), "install chromium (see .ci/run)"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_report_loads_cleanly_in_headless_chromium(scripted, config, tmp_path, language):
    config = config.model_copy(
        update={"program": config.program.model_copy(update={"language": language})}
    )
    report = build_report(scripted, config, RUN_DATE, corrected=language == "en")
    shot = tmp_path / f"report-{language}.png"
    page = load_page(report.path.as_uri(), screenshot=shot)
    assert page.loaded
    assert page.failed == []
    assert page.errors == []
    assert page.title.startswith("Rapport quotidien" if language == "fr" else "Daily report")
    # Nothing fetched but the file itself and its embedded images.
    assert page.requests[0] == report.path.as_uri()
    assert all(url.startswith("data:image/png;base64,") for url in page.requests[1:])
    assert len(page.requests) == 5
    assert page.images_total == page.images_complete == 4
    width, height = _png_size(shot.read_bytes())
    assert width == 1100 and height > 2000  # the whole page, not just the first screen


def test_a_broken_page_is_caught(tmp_path):
    """The harness itself: a missing image and a script error are reported, not ignored."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><img src="missing.png">'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    page = load_page(bad.as_uri())
    assert page.loaded
    assert page.failed and page.failed[0]["errorText"]
    assert len(page.errors) >= 2


def test_the_monthly_page_loads_cleanly_in_headless_chromium(scripted, config, tmp_path):
    from jumelage.report.health import month_path

    build_report(scripted, config, RUN_DATE)
    path = month_path(config, RUN_DATE)
    page = load_page(path.as_uri(), screenshot=tmp_path / "month.png")
    assert page.loaded and page.failed == [] and page.errors == []
    assert page.title.startswith("Bilan mensuel")
    assert all(url.startswith("data:image/png;base64,") for url in page.requests[1:])
    assert page.images_total == page.images_complete == 1
