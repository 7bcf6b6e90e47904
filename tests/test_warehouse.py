"""Numbered migrations: a warehouse made by the first schema version upgrades without loss."""

import duckdb

from jumelage import warehouse
from jumelage.quarantine import from_json


def test_new_warehouse_has_every_migration(tmp_path):
    con = warehouse.connect(tmp_path)
    versions = [v for v, _, _ in warehouse.migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    assert warehouse.schema_version(con) == warehouse.latest_version()
    tables = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    assert {"participants", "quarantine", "runs", "files", "registrations", "events"} <= tables
    con.close()


def test_first_version_upgrades_in_place_without_losing_rows(tmp_path):
    path = tmp_path / warehouse.WAREHOUSE_NAME
    con = duckdb.connect(str(path))
    warehouse.migrate(con, target=1)
    assert warehouse.schema_version(con) == 1
    con.execute(
        "insert into runs (run_date, started_at, status) values ('2026-01-10', now(), 'succeeded')"
    )
    con.execute(
        "insert into quarantine values ('2026-01-10', 'inscriptions.csv', 'abc', 'registrations',"
        " 3, 'x@y.ca', ['courriel : courriel manquant'], '{}')"
    )
    con.close()

    upgraded = warehouse.connect(tmp_path)
    assert warehouse.schema_version(upgraded) == warehouse.latest_version()
    assert upgraded.execute("select run_date::varchar, status from runs").fetchall() == [
        ("2026-01-10", "succeeded")
    ]
    assert upgraded.execute("select row_number, reasons from quarantine").fetchall() == [
        (3, ["courriel : courriel manquant"])
    ]
    upgraded.close()
    if warehouse.latest_version() > 1:  # the copy kept aside before upgrading
        backup = duckdb.connect(
            str(tmp_path / f"{warehouse.WAREHOUSE_NAME}.v1.bak"), read_only=True
        )
        assert backup.execute("select count(*) from quarantine").fetchone() == (1,)
        backup.close()


def test_migrating_twice_changes_nothing(tmp_path):
    con = warehouse.connect(tmp_path)
    assert warehouse.migrate(con) == []
    con.close()


def test_a_failed_transaction_leaves_nothing(tmp_path):
    con = warehouse.connect(tmp_path)
    try:
        with warehouse.transaction(con):
            con.execute(
                "insert into runs (run_date, started_at, status) values ('2026-01-10', now(), 'x')"
            )
            raise RuntimeError("crash in the middle of a stage")
    except RuntimeError:
        pass
    assert con.execute("select count(*) from runs").fetchone() == (0,)
    con.close()


def test_quarantine_reasons_written_as_text_get_their_column_as_data(tmp_path):
    """Migration 008: older rows keep their words and gain codes naming the column they name."""
    path = tmp_path / warehouse.WAREHOUSE_NAME
    con = duckdb.connect(str(path))
    warehouse.migrate(con, target=7)
    con.execute(
        "insert into quarantine values ('2026-01-10', 'inscriptions.csv', 'abc', 'registrations',"
        " 3, 'x@y.ca', ['niveau_encadrement : niveau 7 hors de 1..5',"
        " 'consentement : consentement non donné (attendu : oui) : la personne doit consentir',"
        " 'aucune relation active entre « x@y.ca »'], '{}')"
    )
    con.close()

    upgraded = warehouse.connect(tmp_path)
    ((reasons, codes),) = upgraded.execute(
        "select reasons, reason_codes from quarantine"
    ).fetchall()
    upgraded.close()
    assert reasons[0] == "niveau_encadrement : niveau 7 hors de 1..5"
    assert [(r.code, r.field) for r in from_json(codes)] == [
        ("recorded_as_text", "management_level"),
        ("recorded_as_text", "consent"),
        ("recorded_as_text", None),
    ]
