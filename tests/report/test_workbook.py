"""The night's workbook: read back with polars (fastexcel), its sheets, headers and rows."""

from __future__ import annotations

import polars as pl

from jumelage import words
from jumelage.report.workbook import SHEETS, workbook_path
from tests.report.program import RUN_DATE


def read(path):
    return pl.read_excel(path, sheet_id=0, engine="calamine")


def test_workbook_sheets_headers_and_rows(report, scripted, config):
    path = workbook_path(config, RUN_DATE)
    assert report.workbook == path and path.name == "jumelage-2026-10-15.xlsx"
    book = read(path)
    assert list(book) == ["À traiter", "Bassin", "Propositions", "Relations", "Courriels",
                          "Quarantaine"]  # fmt: skip

    todo = book["À traiter"]
    assert todo.columns == ["Élément", "Type", "Référence", "Courriel", "Depuis le", "Détail"]
    (n_emails,) = scripted.execute(
        "select count(*) from emails where status in ('uncertain', 'failed')"
    ).fetchone()
    (n_flags,) = scripted.execute(
        "select count(*) from flags where run_date <= ? and (resolved_on is null "
        "or resolved_on > ?)",
        [RUN_DATE, RUN_DATE],
    ).fetchone()
    items = todo["Élément"].to_list()
    assert items.count("courriel à décider") == n_emails > 0
    assert items.count("alerte de suivi") == n_flags > 0
    assert items.count("ligne à corriger") == book["Quarantaine"].height > 0
    # codes are shown in words, from the catalogue
    kinds = set(todo["Type"].to_list())
    assert kinds & set(words.group("fr", "flag_kind").values())

    pool = book["Bassin"]
    assert pool.columns[:3] == ["Courriel", "Nom", "Organisation"]
    waiting = scripted.execute("select email from mentees_waiting order by email").fetchall()
    assert sorted(pool["Courriel"].to_list()) == [e for (e,) in waiting]

    proposals = book["Propositions"]
    assert "Score : objectifs" in proposals.columns and "Personne mentorée" in proposals.columns
    assert set(proposals["Statut"].to_list()) <= set(words.group("fr", "proposal_status").values())

    relations = book["Relations"]
    (n_rel,) = scripted.execute(
        "select count(*) from relationships where started_on <= ?", [RUN_DATE]
    ).fetchone()
    assert relations.height == n_rel and "Alertes ouvertes" in relations.columns

    emails = book["Courriels"]
    assert "Clé du courriel" in emails.columns
    assert set(emails["Statut"].to_list()) <= set(words.group("fr", "email_status").values())

    quarantine = book["Quarantaine"]
    assert {"Fichier", "Ligne", "Motifs", "Correction"} <= set(quarantine.columns)
    assert all(quarantine["Correction"].to_list())  # every row says how to fix it


def test_every_column_of_every_sheet_has_words_in_both_languages():
    from jumelage import models

    for lang in ("fr", "en"):
        sheets = words.group(lang, "workbook_sheet")
        assert set(sheets) == {code for code, _ in SHEETS}
        assert all(len(name) <= 31 for name in sheets.values())  # Excel's limit
    columns = words.group("fr", "workbook_column")
    assert set(columns) == set(words.group("en", "workbook_column"))
    for _, model in SHEETS:
        assert models.model(model).sql  # every sheet is a model of sql/
    assert len(set(columns.values())) == len(columns)  # no two columns read alike


def test_cells_keep_their_types_and_text_is_never_a_formula(tmp_path):
    from datetime import date, datetime
    from decimal import Decimal

    from jumelage.report.workbook import write_sheets

    frame = pl.DataFrame(
        {
            "text": ['=HYPERLINK("http://x")', None, "Zoé"],
            "decimal": pl.Series([Decimal("1.25"), None, Decimal("3")], dtype=pl.Decimal(10, 2)),
            "count": [1, None, 3],
            "flag": [True, False, None],
            "day": [date(2026, 1, 1), None, date(2026, 3, 2)],
            "at": [datetime(2026, 1, 1, 5, 6), None, None],
        }
    )
    path = tmp_path / "book.xlsx"
    write_sheets(path, {"Feuille": frame, "Vide": frame.clear()})
    book = read(path)
    back = book["Feuille"]
    assert back["text"].to_list() == frame["text"].to_list()  # as text, not run
    assert back["decimal"].to_list() == [1.25, None, 3.0]
    assert back["count"].to_list() == [1, None, 3]
    assert back["flag"].to_list() == [True, False, None]
    assert back["day"].to_list() == frame["day"].to_list()
    assert back["at"].to_list() == frame["at"].to_list()
    assert book["Vide"].columns == frame.columns and book["Vide"].height == 0
