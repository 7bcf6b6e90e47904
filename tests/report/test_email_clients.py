"""Every email looks right where people read it: caniemail's support data (the npm package,
installed by `make test` under tests/emailcheck) finds no unsupported feature in Outlook for
Windows (classic and Mail) or Gmail's webmail, in any email, the daily report included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from jumelage.notify.compose import compose
from jumelage.notify.render import KINDS, render
from tests.notify.helpers import context_for

CHECK = Path(__file__).resolve().parents[1] / "emailcheck" / "check.mjs"
PROGRAM = {"program_name": "Connexion Cadres", "mailbox": "mentorat@example.org"}


def errors_of(files: list[Path]) -> dict[str, list[str]]:
    """caniemail's errors, by file name."""
    node = shutil.which("node")
    assert node, "Node.js is needed for this check (make test installs its package)"
    assert (CHECK.parent / "node_modules" / "caniemail").is_dir(), (
        "caniemail is not installed: run `make test` (npm ci --prefix tests/emailcheck)"
    )
    out = subprocess.run(
        [node, str(CHECK), *map(str, files)], capture_output=True, text=True, check=True
    ).stdout
    return {Path(r["file"]).name: r["errors"] for r in map(json.loads, out.splitlines())}


def test_the_check_finds_what_outlook_cannot_show(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><head><style>tr:nth-child(even) td { color: red }</style></head>"
        '<body><p style="border-radius: 4px">x</p></body></html>',
        encoding="utf-8",
    )
    found = " ".join(errors_of([page])["bad.html"])
    assert "outlook.windows: border-radius" in found
    assert "gmail.desktop-webmail: :nth-child" in found


def test_participants_emails_and_the_daily_report_have_no_error(tmp_path, report, config):
    files = []
    for kind in KINDS:
        if kind == "daily_report":
            continue
        for lang in ("fr", "en"):
            path = tmp_path / f"{kind}.{lang}.html"
            path.write_text(render(kind, lang, context_for(kind), **PROGRAM).html, "utf-8")
            files.append(path)
    ctx = {**context_for("daily_report"), "html_body": report.html}
    message = compose(
        config, "daily_report", to="coord@example.org", context=ctx, about="r", due_on=None
    )
    daily = tmp_path / "daily_report.html"
    daily.write_text(message.body_html, encoding="utf-8")
    files.append(daily)

    found = errors_of(files)
    assert set(found) == {f.name for f in files}
    problems = {name: errs for name, errs in found.items() if errs}
    assert problems == {}, json.dumps(problems, indent=1)


def test_emails_with_answer_buttons_have_no_error(tmp_path, program, monkeypatch):
    """With answers by email, the mailto: buttons read right in Outlook and Gmail too."""
    from jumelage.mail_in.recognise import BUTTONS

    monkeypatch.setenv("JUMELAGE_SECRET", "a secret for the tokens")
    config = program('\n[mailbox_in]\nhost = "127.0.0.1"\nuser = "mentorat@example.org"\n')
    files = []
    for kind in BUTTONS:
        for lang in ("fr", "en"):
            message = compose(
                config, kind, to="zoe@example.org", context=context_for(kind), about="P-1",
                language=lang,
            )  # fmt: skip
            assert "mailto:mentorat@example.org?subject=" in message.body_html, kind
            path = tmp_path / f"{kind}.{lang}.html"
            path.write_text(message.body_html, encoding="utf-8")
            files.append(path)
    problems = {name: errs for name, errs in errors_of(files).items() if errs}
    assert problems == {}, json.dumps(problems, indent=1)
