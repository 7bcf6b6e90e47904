"""Files recorded in the warehouse: counts, quarantine, corrections, re-runs."""

import json
from datetime import date

import duckdb
import pytest

from jumelage.demo.files import write_csv, write_xlsx
from jumelage.ingest.stage import ingest
from jumelage.night import open_night
from jumelage.validate.stage import validate

from ..conftest import FR_HEADER, as_french, reg
from ..nights import run_night

D1, D2, D3 = date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12)


def query(config, sql, params=None):
    con = duckdb.connect(str(config.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_rows_accounted_for(config):
    """rows read = accepted + quarantined + superseded, per file, checked against the tables."""
    files = query(
        config,
        "select name, sha256, kind, rows_read, rows_accepted, rows_quarantined, rows_superseded"
        " from files where status <> 'rejected'",
    )
    assert files
    for name, sha, _kind, read, accepted, quarantined, superseded in files:
        assert read == accepted + quarantined + superseded, name
        q = query(config, "select count(*) from quarantine where file_sha256 = ?", [sha])[0][0]
        s = query(config, "select count(*) from superseded where file_sha256 = ?", [sha])[0][0]
        assert (q, s) == (quarantined, superseded), name


def mixed_rows():
    return [
        reg(email="a@x.ca"),
        reg(email="b@x.ca", management_level="7"),
        reg(email="c@x.ca", submitted_at="2026-01-04"),
        reg(email="c@x.ca", submitted_at="2026-01-06", goals="strategie"),
        reg(email="", consent="non"),
        reg(
            email="m@x.ca",
            role="mentor",
            management_level="3",
            competencies="leadership;zen",
            goals="",
        ),
    ]


@pytest.mark.parametrize("dialect", ["cp1252", "bom", "xlsx"])
def test_a_night_records_every_row(config, inbox, dialect):
    rows = as_french(mixed_rows())
    if dialect == "cp1252":
        write_csv(
            inbox / "inscriptions.csv", rows, encoding="cp1252", separator=";", newline="\r\n"
        )
    elif dialect == "bom":
        write_csv(inbox / "inscriptions.csv", rows, bom=True)
    else:
        write_xlsx(inbox / "inscriptions.xlsx", rows, header=FR_HEADER)
    (result,) = run_night(config, D1)
    assert (result.rows_read, result.accepted, result.quarantined, result.superseded) == (
        6,
        3,
        2,
        1,
    )
    assert_rows_accounted_for(config)
    assert query(config, "select row_number, reasons from quarantine order by row_number") == [
        (2, ["niveau_encadrement : niveau 7 hors de 1..5"]),
        (
            5,
            [
                "courriel : courriel manquant",
                "consentement : consentement non donné (attendu : oui) : la personne doit "
                "consentir avant d'être jumelée « non »",
            ],
        ),
    ]
    assert query(
        config, "select email, role, goals, competencies from participants order by email, role"
    ) == [
        ("a@x.ca", "mentee", ["leadership"], []),
        ("c@x.ca", "mentee", ["strategie"], []),
        ("m@x.ca", "mentor", [], ["leadership"]),
    ]
    assert query(config, "select field, value from unknown_values") == [("competences", "zen")]
    archived = list((config.data_dir / "archive").iterdir())
    assert len(archived) == 1 and archived[0].name.endswith(
        "-inscriptions." + ("xlsx" if dialect == "xlsx" else "csv")
    )


def test_a_file_is_read_once_and_a_rerun_changes_nothing(config, inbox):
    write_csv(inbox / "registrations.csv", mixed_rows())
    run_night(config, D1)
    tables = ["files", "registrations", "quarantine", "superseded", "participants"]
    before = {
        t: query(
            config, f"select * exclude (read_at) from {t}" if t == "files" else f"select * from {t}"
        )
        for t in tables
    }
    assert run_night(config, D1) == []
    assert run_night(config, D2) == []
    after = {
        t: query(
            config, f"select * exclude (read_at) from {t}" if t == "files" else f"select * from {t}"
        )
        for t in tables
    }
    assert after == before
    assert query(config, "select run_date, status, attempts from runs order by run_date") == [
        (D1, "succeeded", 2),
        (D2, "succeeded", 1),
    ]


def test_a_correction_replaces_that_files_rows_only(config, inbox):
    write_csv(inbox / "registrations-a.csv", mixed_rows())
    write_csv(inbox / "registrations-b.csv", [reg(email="z@x.ca")])
    run_night(config, D1)
    fixed = mixed_rows()
    fixed[1]["management_level"] = "2"  # the coordinator fixes the level
    del fixed[0]  # and removes a registration sent by mistake
    write_csv(inbox / "registrations-a.csv", fixed)
    (result,) = run_night(config, D2)
    assert result.correction and (result.rows_read, result.accepted, result.quarantined) == (
        5,
        3,
        1,
    )
    assert query(config, "select name, status from files order by name, read_at") == [
        ("registrations-a.csv", "replaced"),
        ("registrations-a.csv", "current"),
        ("registrations-b.csv", "current"),
    ]
    assert query(config, "select email, status from participants order by email") == [
        ("a@x.ca", "removed"),
        ("b@x.ca", "active"),
        ("c@x.ca", "active"),
        ("m@x.ca", "active"),
        ("z@x.ca", "active"),
    ]
    assert query(
        config, "select count(*) from registrations where file_name = 'registrations-a.csv'"
    ) == [(3,)]
    assert len(list((config.data_dir / "archive").iterdir())) == 3
    assert_rows_accounted_for(config)
    # the original version comes back: it is a correction too, and a returns
    write_csv(inbox / "registrations-a.csv", mixed_rows())
    run_night(config, D3)
    assert query(config, "select status from participants where email = 'a@x.ca'") == [("active",)]


def test_a_later_file_updates_a_participant(config, inbox):
    write_csv(inbox / "registrations-1.csv", [reg(goals="leadership")])
    run_night(config, D1)
    write_csv(inbox / "registrations-2.csv", [reg(submitted_at="2026-01-11", goals="strategie")])
    run_night(config, D2)
    assert query(config, "select goals, first_seen_on, updated_on from participants") == [
        (["strategie"], D1, D2)
    ]
    # an older submission arriving later does not win
    write_csv(inbox / "registrations-3.csv", [reg(submitted_at="2026-01-01", goals="leadership")])
    run_night(config, D3)
    assert query(config, "select goals from participants") == [(["strategie"],)]


def test_an_unreadable_file_is_quarantined_whole(config, inbox):
    (inbox / "registrations-broken.xlsx").write_bytes(b"PK\x03\x04garbage")
    write_csv(inbox / "events.csv", [{"date": "2026-01-10", "courriel": "a@x.ca"}])
    results = run_night(config, D1)
    assert [(r.name, r.error is not None) for r in results] == [
        ("events.csv", True),
        ("registrations-broken.xlsx", True),
    ]
    reasons = query(config, "select source_file, row_number, reasons from quarantine order by 1")
    assert reasons[0] == (
        "events.csv",
        0,
        ["fichier : colonne(s) obligatoire(s) absente(s) : type_evenement"],
    )
    assert reasons[1][:2] == ("registrations-broken.xlsx", 0)
    assert reasons[1][2][0].startswith("fichier : classeur XLSX illisible")
    assert query(config, "select status from files") == [("rejected",), ("rejected",)]
    assert run_night(config, D2) == []  # a rejected version is not read again until it changes


def test_events_are_validated_and_staged(config, inbox):
    rows = [
        {"date_evenement": "2026-01-09", "type_evenement": "Acceptée", "courriel": "a@x.ca",
         "no_proposition": "P-1", "valeur": ""},
        {"date_evenement": "2026-01-09", "type_evenement": "changement d'organisation",
         "courriel": "a@x.ca", "no_proposition": "", "valeur": ""},
        {"date_evenement": "hier", "type_evenement": "pique-nique", "courriel": "a@x.ca",
         "no_proposition": "", "valeur": ""},
    ]  # fmt: skip
    write_csv(inbox / "événements.csv", rows, encoding="cp1252", separator=";")
    with open_night(config, D1) as night:  # validation only: applying is the lifecycle's
        (result,) = validate(night.con, config, D1, ingest(night.con, config.data_dir))
    assert (result.accepted, result.quarantined) == (1, 2)
    assert query(config, "select event_type, proposal_id from events") == [
        ("proposal_accepted", "P-1")
    ]
    assert query(config, "select row_number, reasons from quarantine order by 1") == [
        (2, ["valeur : obligatoire pour « organization_changed » (la nouvelle organisation)"]),
        (
            3,
            [
                "date_evenement : date illisible (attendu : AAAA-MM-JJ) « hier »",
                "type_evenement : type d'événement inconnu (voir la liste des types dans le "
                "README) « pique-nique »",
            ],
        ),
    ]


def test_reasons_are_stored_as_codes_beside_their_words(config, inbox):
    """`reason_codes` carries what the program acts on; `reasons` keeps the words."""
    write_csv(inbox / "inscriptions.csv", as_french([reg(management_level="7", consent="non")]))
    write_csv(inbox / "events.csv", [{"date": "2026-01-10", "courriel": "a@x.ca"}])
    with open_night(config, D1) as night:
        validate(night.con, config, D1, ingest(night.con, config.data_dir))
    stored = query(
        config, "select source_file, reasons, reason_codes from quarantine order by source_file"
    )
    assert [(name, json.loads(codes)) for name, _, codes in stored] == [
        ("events.csv", [{"code": "missing_columns", "field": "file", "columns": ["event_type"]}]),
        (
            "inscriptions.csv",
            [
                {"code": "consent_not_given", "field": "consent", "typed": "non"},
                {"code": "level_out_of_range", "field": "management_level", "value": 7,
                 "low": 1, "high": 5},
            ],
        ),
    ]  # fmt: skip
    assert stored[1][1] == [
        "consentement : consentement non donné (attendu : oui) : la personne doit consentir "
        "avant d'être jumelée « non »",
        "niveau_encadrement : niveau 7 hors de 1..5",
    ]


def test_an_english_program_words_its_reasons_in_english(config, inbox):
    english = config.model_copy(
        update={"program": config.program.model_copy(update={"language": "en"})}
    )
    write_csv(inbox / "inscriptions.csv", as_french([reg(management_level="7")]))
    write_csv(inbox / "events.csv", [{"date": "2026-01-10", "courriel": "a@x.ca"}])
    with open_night(english, D1) as night:
        validate(night.con, english, D1, ingest(night.con, english.data_dir))
    assert query(english, "select reasons from quarantine order by source_file") == [
        (["file: required column(s) missing: event_type"],),
        (["management_level: level 7 outside 1..5"],),
    ]
    assert query(english, "select error from files where status = 'rejected'") == [
        ("required column(s) missing: event_type",)
    ]
