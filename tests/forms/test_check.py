"""`jumelage inbox check FILE`: a dry run that writes and sends nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from jumelage.cli import main
from jumelage.config import load_config
from jumelage.demo.files import write_csv

from ..conftest import BASE_CONFIG
from ..nights import run_night
from .exports import FORMS_CONFIG, microsoft_forms_en, microsoft_forms_fr
from .test_exports import MENTEE, MENTOR

D1 = date(2026, 11, 1)


@pytest.fixture
def forms(program):
    config = program(FORMS_CONFIG)
    (config.data_dir / "inbox").mkdir(parents=True)
    return config


def check(config, path, capsys):
    code = main(["inbox", "check", str(path), "--config", str(config.source)])
    return code, capsys.readouterr().out


def tree(directory):
    """Every file under `directory` with its content hash: what a dry run must not change."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_a_clean_file_says_how_each_column_was_understood(forms, tmp_path, capsys):
    path = microsoft_forms_fr(tmp_path / "inscriptions.xlsx", [MENTEE])
    code, out = check(forms, path, capsys)
    assert code == 0
    assert "« Quel est votre niveau d’encadrement ? » → niveau_encadrement ([inbox.headers])" in out
    assert "« Heure de fin » → date_inscription\n" in out
    assert "« ID » → ignorée\n" in out
    assert "« Nom » → ignorée (nom vient d'une question de [inbox.headers])" in out
    assert "Lignes : 1 lues, 1 acceptées, 0 en quarantaine, 0 remplacées." in out
    assert "interets : « Tricot » (1 ligne(s))" in out
    assert "Aucun entrepôt encore" in out
    assert not (forms.data_dir / "warehouse.duckdb").exists()


def test_rows_that_would_be_quarantined_exit_1_with_the_first_reasons(forms, tmp_path, capsys):
    rows = [MENTEE, {**MENTEE, "email": "b@x.ca", "management_level": "Niveau 9"}, MENTEE]
    path = microsoft_forms_fr(tmp_path / "inscriptions.xlsx", rows)
    code, out = check(forms, path, capsys)
    assert code == 1
    assert "Lignes : 3 lues, 1 acceptées, 1 en quarantaine, 1 remplacées." in out
    assert "  ligne 2 : niveau_encadrement : niveau d'encadrement illisible" in out
    assert "« Niveau 9 »" in out
    assert "  ligne 1 : remplacée par la ligne 3" in out
    assert "1 ligne(s) iraient en quarantaine (code de sortie 1)." in out


def test_an_unreadable_file_exits_2(forms, tmp_path, capsys):
    broken = tmp_path / "inscriptions.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    code, out = check(forms, broken, capsys)
    assert (code, "Fichier illisible : classeur XLSX illisible" in out) == (2, True)

    export = microsoft_forms_fr(tmp_path / "autre.xlsx", [MENTEE])
    plain = tmp_path / "plain" / "jumelage.toml"  # a program that has not mapped its form
    plain.parent.mkdir()
    plain.write_text(BASE_CONFIG, encoding="utf-8")
    code, out = check(load_config(plain), export, capsys)
    assert code == 2
    assert "« Nom » → nom\n" in out and "« Nom de famille » → nom\n" in out
    assert "colonne en double : « Nom de famille » désigne la même colonne" in out
    assert "le nommer inscriptions…" in out  # the name does not say the kind
    export = microsoft_forms_en(tmp_path / "inscriptions-en.xlsx", [MENTOR])
    code, out = check(load_config(plain), export, capsys)
    assert code == 2
    assert "absente(s) : role, organisation, niveau_encadrement, consentement" in out

    code, out = check(forms, tmp_path / "absent.csv", capsys)
    assert code == 2


def test_a_correction_shows_rows_changed_and_proposals_withdrawn(forms, tmp_path, capsys):
    inbox = forms.data_dir / "inbox"
    microsoft_forms_fr(inbox / "inscriptions.xlsx", [MENTEE])
    microsoft_forms_en(inbox / "mentors.xlsx", [MENTOR])
    run_night(forms, D1)
    con = duckdb.connect(str(forms.data_dir / "warehouse.duckdb"), read_only=True)
    ((proposal,),) = con.execute("select proposal_id from proposals").fetchall()
    con.close()
    before = tree(forms.data_dir)

    # the mentor's level was wrong: 4 -> 1 breaks the level gap with the mentee (level 1)
    lower = {**MENTOR, "management_level": "A1"}
    newcomer = {**MENTOR, "email": "new@x.ca", "first_name": "Zoé"}
    corrected = microsoft_forms_en(tmp_path / "mentors.xlsx", [lower, newcomer])
    code, out = check(forms, corrected, capsys)

    assert code == 0
    assert "Correction de la version déjà lue sous ce nom :" in out
    assert "  lignes ajoutées : 1\n    new@x.ca (mentor)" in out
    assert "  lignes retirées : 0" in out
    assert "  lignes modifiées : 1\n    ada.roy@mcn.gouv.qc.ca (mentor) : niveau_encadrement" in out
    assert "Propositions en attente qui seraient retirées : 1" in out
    assert f"  {proposal} (jean.cote@msss.gouv.qc.ca et ada.roy@mcn.gouv.qc.ca) : " in out
    assert tree(forms.data_dir) == before  # nothing written, not even the warehouse

    (tmp_path / "same").mkdir()
    same = shutil.copy(inbox / "mentors.xlsx", tmp_path / "same" / "mentors.xlsx")
    code, out = check(forms, same, capsys)
    assert "Déjà lu sous ce nom, identique" in out


def test_a_night_holding_the_warehouse_is_said_and_the_snapshot_used(forms, tmp_path, capsys):
    inbox = forms.data_dir / "inbox"
    microsoft_forms_en(inbox / "mentors.xlsx", [MENTOR])
    run_night(forms, D1)
    warehouse = forms.data_dir / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]);"
         " print('held', flush=True); sys.stdin.read()", str(warehouse)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        corrected = microsoft_forms_en(tmp_path / "mentors.xlsx", [{**MENTOR, "last_name": "R"}])
        code, out = check(forms, corrected, capsys)
        assert code == 0
        assert "L'entrepôt est occupé par une nuit en cours et il n'y a pas encore de copie" in out

        (forms.data_dir / "snapshot").mkdir()
        shutil.copy(warehouse, forms.data_dir / "snapshot" / "warehouse.duckdb")
        code, out = check(forms, corrected, capsys)
        assert "comparaison avec sa copie snapshot/warehouse.duckdb" in out
        assert "ada.roy@mcn.gouv.qc.ca (mentor) : nom" in out
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_an_events_correction_lists_the_rows_added_and_removed(forms, tmp_path, capsys):
    inbox = forms.data_dir / "inbox"
    microsoft_forms_fr(inbox / "inscriptions.xlsx", [MENTEE])
    event = {"date_evenement": "2026-10-30", "type_evenement": "absence_started",
             "courriel": "jean.cote@msss.gouv.qc.ca"}  # fmt: skip
    write_csv(inbox / "evenements.csv", [event])
    run_night(forms, D1)

    later = write_csv(tmp_path / "evenements.csv", [{**event, "date_evenement": "2026-10-31"}])
    code, out = check(forms, later, capsys)

    assert code == 0
    assert "Type : événements." in out
    assert "  lignes ajoutées : 1\n    2026-10-31 · absence_started · jean.cote@" in out
    assert "  lignes retirées : 1\n    2026-10-30 · absence_started · jean.cote@" in out
    assert "Propositions en attente" not in out  # events are applied by the night, not here
