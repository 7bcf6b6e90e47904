"""« À traiter » holds only what a person can act on: rows no correction can lift are reported
once, and a coordinator can dismiss an item with a note (`jumelage dismiss`)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jumelage import warehouse
from jumelage.cli import main
from jumelage.demo.files import write_csv
from jumelage.errors import JumelageError
from jumelage.report import build_report
from jumelage.tables.dismissals import dismiss
from jumelage.vocabulary import DismissKind
from tests.conftest import reg
from tests.nights import run_night
from tests.report.conftest import metrics, table_rows
from tests.report.program import RUN_DATE

D1, D2 = date(2026, 3, 2), date(2026, 3, 3)
COMMAND = re.compile(r"jumelage dismiss (\w+) (\S+) --note")


@pytest.fixture
def quarantined(config, inbox):
    """Five rows: one accepted, two that no correction can lift, two to fix."""
    write_csv(
        inbox / "inscriptions.csv",
        [
            reg(email="a@x.ca"),
            reg(email="b@x.ca", consent="non"),
            reg(email="c@x.ca", role="stagiaire"),
            reg(email="d@x.ca", role="mentr"),  # a slip of the keyboard: to fix
            reg(email="e@x.ca", management_level="9"),
        ],
    )
    run_night(config, D1)
    con = warehouse.connect(config.data_dir)
    yield con
    con.close()


def _emails(page: str, table: str) -> list[str]:
    return sorted(re.findall(r"\b[a-e]@x\.ca\b", " ".join(map(" ".join, table_rows(page, table)))))


def test_rows_no_correction_can_lift_are_reported_once_then_left_out(quarantined, config):
    first = build_report(quarantined, config, D1).html
    assert _emails(first, "todo_quarantine") == ["d@x.ca", "e@x.ca"]
    assert _emails(first, "night_set_aside") == ["b@x.ca", "c@x.ca"]
    assert "rôle hors du programme" in " ".join(map(" ".join, table_rows(first, "night_set_aside")))
    assert metrics(first)["night_set_aside"] == "2"

    later = build_report(quarantined, config, D2).html
    assert _emails(later, "todo_quarantine") == ["d@x.ca", "e@x.ca"]
    assert table_rows(later, "night_set_aside") == []


def test_a_dismissed_row_leaves_todo_and_the_note_is_kept(quarantined, config, capsys):
    page = build_report(quarantined, config, D1).html
    commands = {
        row[0].split()[-1]: COMMAND.search(row[-1]) for row in table_rows(page, "todo_quarantine")
    }
    kind, item = commands["e@x.ca"].groups()
    assert kind == "quarantine"
    quarantined.close()

    argv = ["dismiss", kind, item, "--note", "niveau vérifié : la personne a quitté", "--config"]
    assert main([*argv, str(config.source)]) == 0
    assert "dismissed" in capsys.readouterr().out
    assert main([*argv, str(config.source)]) == 0  # a second time changes nothing
    assert "already dismissed" in capsys.readouterr().out
    assert (
        main(["dismiss", "quarantine", "nope:1", "--note", "x", "--config", str(config.source)])
        != 0
    )
    assert "no open quarantine with id 'nope:1'" in capsys.readouterr().err

    con = warehouse.connect(config.data_dir)
    try:
        after = build_report(con, config, D2).html
        assert _emails(after, "todo_quarantine") == ["d@x.ca"]
        assert con.execute("select kind, item_id, note from dismissals").fetchall() == [
            ("quarantine", item, "niveau vérifié : la personne a quitté")
        ]
    finally:
        con.close()


def test_flags_and_emails_can_be_dismissed_too(scripted, config):
    page = build_report(scripted, config, RUN_DATE).html
    flag_tables = sorted({t for t in re.findall(r'data-table="(todo_flags_\w+)"', page)})
    flag_row = table_rows(page, flag_tables[0])[0]
    _, flag_id = COMMAND.search(flag_row[-1]).groups()
    email_row = table_rows(page, "todo_emails")[0]
    _, email_key = COMMAND.search(email_row[-1]).groups()
    before = metrics(page)["todo_total"]

    dismiss(scripted, DismissKind.FLAG, flag_id, "vu au téléphone", RUN_DATE)
    dismiss(scripted, DismissKind.EMAIL, email_key, "reçu, confirmé par la personne", RUN_DATE)
    with pytest.raises(JumelageError, match="--note is required"):
        dismiss(scripted, DismissKind.FLAG, flag_id, "  ", RUN_DATE)

    after = build_report(scripted, config, RUN_DATE).html
    assert f"dismiss flag {flag_id} " not in after
    assert f"dismiss email {email_key} " not in after
    assert int(metrics(after)["todo_total"]) == int(before) - 2
