"""The fix shown for a quarantined row comes from its reason codes, never from its text."""

from __future__ import annotations

from jumelage import warehouse, words
from jumelage.quarantine import Reason
from jumelage.report import build_report
from jumelage.report.words import fixes_for
from jumelage.vocabulary import QuarantineCode
from tests.report.conftest import table_rows
from tests.report.program import RUN_DATE, file_version, quarantined

FIX = words.group("fr", "fix")
GENERIC = words.say("fr", "report", "generic_fix")


def test_one_fix_per_column_named_by_the_codes():
    reasons = [
        Reason(QuarantineCode.MISSING_LEVEL, "management_level"),
        Reason(QuarantineCode.LEVEL_OUT_OF_RANGE, "management_level", {"value": 9}),
        Reason(QuarantineCode.TOO_MANY_CELLS, "row", {"cells": 3, "width": 2}),
        Reason(QuarantineCode.NO_ACTIVE_RELATIONSHIP, None, {"email": "a@x.ca"}),
        Reason(QuarantineCode.MISSING_CONSENT, "consent"),
    ]
    assert fixes_for(reasons, "fr") == [FIX["management_level"], GENERIC, FIX["consent"]]
    assert fixes_for([], "en") == [words.say("en", "report", "generic_fix")]


def test_the_report_reads_codes_not_text(scripted, config):
    name = "inscriptions-codes.csv"
    with warehouse.transaction(scripted):
        file_version(scripted, name, "s9", "registrations", run_date=RUN_DATE, counts=(0, 2, 0))
        # the words hold colons and name other columns; the code says consent
        quarantined(
            scripted, name, "s9", 1, [Reason(QuarantineCode.MISSING_CONSENT, "consent",
                                             {"typed": "courriel : niveau_encadrement : non"})],
            run_date=RUN_DATE,
        )  # fmt: skip
        # reasons written as text only (a version before migration 008, or the apply stage)
        quarantined(
            scripted, name, "s9", 2, ["niveau_encadrement : niveau 7 hors de 1..5"],
            run_date=RUN_DATE,
        )  # fmt: skip
    report = build_report(scripted, config, RUN_DATE)
    rows = {r[1]: r for r in table_rows(report.html, "todo_quarantine") if r[0].startswith(name)}
    assert "courriel : niveau_encadrement : non" in rows["1"][2]
    assert rows["1"][3] == FIX["consent"]
    assert rows["2"][2] == "niveau_encadrement : niveau 7 hors de 1..5"
    assert rows["2"][3] == GENERIC
