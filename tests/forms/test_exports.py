"""Registrations straight from the form tools: real-shaped exports through a real night."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from jumelage import models
from jumelage.ingest.columns import FormMap
from jumelage.ingest.reader import read_table
from jumelage.report import build_report
from jumelage.report.queries import run_query

from ..nights import run_night
from ..validate.test_stage import query
from .exports import (
    FORMS_CONFIG,
    choices,
    google_forms,
    limesurvey,
    microsoft_forms_en,
    microsoft_forms_fr,
)

D1, D2 = date(2026, 11, 1), date(2026, 11, 2)


@pytest.fixture
def forms(program):
    config = program(FORMS_CONFIG)
    (config.data_dir / "inbox").mkdir(parents=True)
    return config


MENTEE = {
    "email": "Jean.Cote@msss.gouv.qc.ca",
    "first_name": "Jean",
    "last_name": "Côté",
    "role": "Personne mentorée",
    "organization": "MSSS",
    "management_level": "Chef d'équipe (niveau 1)",
    "language": choices("Français", "English"),
    "goals": choices("Mieux mobiliser mon équipe", "Gestion du changement"),
    "interests": choices("Plein air", "Tricot"),
    "consent": "Oui, j'accepte que mes renseignements soient utilisés pour le jumelage",
}
MENTOR = {
    "email": "ada.roy@mcn.gouv.qc.ca",
    "first_name": "Ada",
    "last_name": "Roy",
    "organization": "MCN",
    "management_level": "Director (level 4)",
    "competencies": choices("Leadership", "Strategic thinking"),
    "consent": "Yes, I agree",
}


def test_microsoft_forms_in_french_and_english_go_in_as_registrations(forms):
    inbox = forms.data_dir / "inbox"
    bad_level = {**MENTEE, "email": "b@x.ca", "management_level": "Haute direction (niveau 9)"}
    refused = {**MENTEE, "email": "c@x.ca", "consent": "Non"}
    microsoft_forms_fr(inbox / "inscriptions-mentores.xlsx", [MENTEE, bad_level, refused])
    microsoft_forms_en(inbox / "Mentors-octobre.xlsx", [MENTOR])  # named by [inbox.files]

    results = {r.name: r for r in run_night(forms, D1)}

    assert {n: (r.accepted, r.quarantined) for n, r in results.items()} == {
        "inscriptions-mentores.xlsx": (1, 2),
        "Mentors-octobre.xlsx": (1, 0),
    }
    people = query(
        forms,
        "select email, role, last_name, language, management_level, goals, interests,"
        " competencies, submitted_at from participants order by role",
    )
    assert people == [
        ("jean.cote@msss.gouv.qc.ca", "mentee", "Côté", "fr,en", 1,
         ["gestion_changement", "leadership"], ["plein_air"], [],
         __import__("datetime").datetime(2026, 10, 31, 9, 16)),
        ("ada.roy@mcn.gouv.qc.ca", "mentor", "Roy", "fr", 4, [], [],
         ["leadership", "strategie"], __import__("datetime").datetime(2026, 10, 31, 10, 16)),
    ]  # fmt: skip
    reasons = query(forms, "select row_number, reasons, reason_codes from quarantine order by 1")
    assert [(row, words) for row, words, _ in reasons] == [
        (2, ["niveau_encadrement : niveau d'encadrement illisible (attendu : un nombre entier)"
             " « Haute direction (niveau 9) »"]),
        (3, ["consentement : consentement non donné (attendu : oui) : la personne doit "
             "consentir avant d'être jumelée « Non »"]),
    ]  # fmt: skip
    assert json.loads(reasons[0][2])[0]["field"] == "management_level"
    assert query(forms, "select field, value from unknown_values where row_number > 0") == [
        ("interets", "Tricot")
    ]


def test_ignored_columns_are_listed_once_in_the_report_of_the_night_they_are_read(forms):
    inbox = forms.data_dir / "inbox"
    microsoft_forms_fr(inbox / "inscriptions-mentores.xlsx", [MENTEE])
    run_night(forms, D1)
    run_night(forms, D2)
    con = duckdb.connect(str(forms.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        first = run_query(con, "night_files", {"run_date": D1})
        second = run_query(con, "night_files", {"run_date": D2})
        unknown = run_query(con, "night_unknown_values", {"run_date": D1})
        page = build_report(con, forms, D1).html
    finally:
        con.close()
    assert "Colonnes ignorées (à associer dans [inbox.headers] si elles comptent) : " in page
    assert "Heure de début, ID, Nom</span>" in page
    assert first["ignored_columns"].to_list() == [["Heure de début", "ID", "Nom"]]
    assert second.height == 0  # the file is not read again: its columns are not listed again
    assert unknown["value"].to_list() == ["Tricot"]  # columns are not tags


def test_the_file_name_fixes_the_role_over_a_role_column(forms):
    path = microsoft_forms_en(forms.data_dir / "mentors.xlsx", [MENTOR])
    form = FormMap.for_file("MENTORS.xlsx", forms.inbox.headers, forms.inbox.files)
    table = read_table(path, "registrations", form=form)
    assert table.frame["role"].to_list() == ["mentor"]
    assert "Name" in table.ignored_headers and "Start time" in table.ignored_headers
    assert FormMap.for_file("inscriptions.xlsx", {}, forms.inbox.files).fixed == {}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_google_forms_csv_with_its_timestamp_in_the_locale_format(forms, locale):
    inbox = forms.data_dir / "inbox"
    english = {**MENTOR, "role": "mentor"}
    french = {**MENTEE, "goals": "Mieux mobiliser mon équipe, Penser à long terme, en stratégie"}
    answers = [french if locale == "fr" else english]
    if locale == "fr":  # 05/11: the 5th of November, as 31/10 in the same column says
        answers.append({**french, "email": "d@x.ca", "submitted_at": "05/11/2026 14:02:09"})
    path = google_forms(inbox / f"inscriptions-google-{locale}.csv", answers, locale=locale)
    assert ("Horodateur" if locale == "fr" else "Timestamp") in path.read_text("utf-8")

    (result,) = run_night(forms, D1)

    assert (result.accepted, result.quarantined) == (len(answers), 0)
    stamps = query(forms, "select submitted_at::varchar, goals from registrations order by 1")
    if locale == "fr":
        assert stamps == [
            ("2026-10-31 13:15:00", ["leadership", "strategie"]),
            ("2026-11-05 14:02:09", ["leadership", "strategie"]),
        ]
    else:
        assert stamps == [("2026-10-31 13:15:00", [])]


def test_limesurvey_csv_with_question_and_answer_codes(forms):
    inbox = forms.data_dir / "inbox"
    answers = [
        {"email": "e@x.ca", "first_name": "Émile", "last_name": "Roy", "role": "P",
         "organization": "RQ", "management_level": "A1", "goals": "Leadership", "consent": "Y"},
        {"email": "f@x.ca", "first_name": "Flore", "last_name": "Roy", "role": "Q",
         "organization": "RQ", "management_level": "A2", "goals": "", "consent": "Y"},
    ]  # fmt: skip
    limesurvey(inbox / "inscriptions-limesurvey.csv", answers)

    (result,) = run_night(forms, D1)

    assert (result.accepted, result.quarantined) == (1, 1)
    assert query(forms, "select email, role, management_level from participants") == [
        ("e@x.ca", "mentee", 1)
    ]
    ((reasons,),) = query(forms, "select reasons from quarantine")
    assert reasons[0].startswith("role : rôle inconnu") and reasons[0].endswith("« Q »")
    ignored = query(forms, "select value from unknown_values where row_number = 0 order by 1")
    assert ignored == [("id",), ("lastpage",), ("seed",), ("startlanguage",)]


def test_the_same_fields_from_two_forms_do_not_collide(forms):
    """Microsoft Forms' own `Nom` (the account's name) beside the form's « Nom de famille »:
    the configured question takes the field, the tool's column is ignored."""
    path = microsoft_forms_fr(forms.data_dir / "x.xlsx", [MENTEE])
    form = FormMap.for_file("x.xlsx", forms.inbox.headers, forms.inbox.files)
    table = read_table(path, "registrations", form=form)
    sources = {c.header: (c.field, c.source) for c in table.columns}
    assert sources["Nom"] == (None, "overridden")
    assert sources["Nom de famille"] == ("last_name", "configured")
    assert sources["Heure de fin"] == ("submitted_at", "builtin")
    assert table.frame["last_name"].to_list() == ["Côté"]


def test_answers_are_mapped_before_the_checks_and_kept_as_typed_in_quarantine(forms):
    inbox = forms.data_dir / "inbox"
    microsoft_forms_fr(inbox / "inscriptions.xlsx", [{**MENTEE, "role": "Stagiaire"}])
    run_night(forms, D1)
    ((raw, codes),) = query(forms, "select raw, reason_codes from quarantine")
    assert json.loads(raw)["role"] == "Stagiaire"
    assert json.loads(raw)["management_level"] == "Chef d'équipe (niveau 1)"
    assert json.loads(codes) == [{"code": "unknown_role", "field": "role", "typed": "Stagiaire"}]
    con = duckdb.connect(str(forms.data_dir / "warehouse.duckdb"), read_only=True)
    try:
        assert models.relation(con, "ingest/read_files").fetchall()[0][0] == "inscriptions.xlsx"
    finally:
        con.close()


def test_forget_drops_their_rows_from_an_archived_form_export(forms):
    """The email column of a form export is found through `[inbox.headers]`, so erasure
    removes the person's row, not only their name."""
    from jumelage.forget import forget
    from jumelage.ingest.reader import read_xlsx

    other = {**MENTEE, "email": "b@x.ca", "first_name": "Bea", "last_name": "Roy"}
    microsoft_forms_en(forms.data_dir / "inbox" / "mentors.xlsx", [MENTOR])
    microsoft_forms_fr(forms.data_dir / "inbox" / "inscriptions.xlsx", [MENTEE, other])
    run_night(forms, D1)

    forget(forms.data_dir, "jean.cote@msss.gouv.qc.ca", inbox=forms.inbox)
    forget(forms.data_dir, "ada.roy@mcn.gouv.qc.ca", inbox=forms.inbox)

    archived = {p.name.split("-", 1)[1]: p for p in (forms.data_dir / "archive").iterdir()}
    _, rows = read_xlsx(archived["inscriptions.xlsx"])
    assert [r[3] for r in rows] == ["b@x.ca"]
    _, rows = read_xlsx(archived["mentors.xlsx"])  # named by an [inbox.files] pattern
    assert rows == []


def test_an_unmapped_role_choice_is_to_fix_not_set_aside(forms, program, tmp_path):
    """A program's own form: « Stagiaire » is a choice text to map, so the row waits in
    « à traiter »; the same word typed in a plain file is a role outside the program, also
    when the program reading it maps its form's roles (decided per file)."""
    from jumelage.validate.registrations import validate_registrations

    path = microsoft_forms_fr(tmp_path / "x.xlsx", [{**MENTEE, "role": "Stagiaire"}])
    form = FormMap.for_file("x.xlsx", forms.inbox.headers, forms.inbox.files)
    table = read_table(path, "registrations", form=form)
    assert table.from_form

    def codes(frame, config, from_form):
        found = validate_registrations(frame, config, from_form=from_form).quarantined
        return [json.loads(r)[0]["code"] for r in found["reason_codes"].to_list()]

    assert codes(table.frame, forms, True) == ["unknown_role"]
    assert codes(table.frame, program(), True) == ["role_outside_program"]
    plain_path = tmp_path / "inscriptions.csv"
    plain_path.write_text(
        "date_inscription;role;prenom;nom;courriel;organisation;niveau_encadrement;"
        "objectifs;consentement\n"
        "2026-10-01;stagiaire;Léa;Roy;lea@x.ca;MSSS;1;leadership;oui\n",
        encoding="utf-8",
    )
    # the program also names its form's « Prénom » question, which a plain file's `prenom`
    # matches: still a plain file (as in the demo)
    both = program(
        FORMS_CONFIG.replace("[inbox.headers]\n", '[inbox.headers]\n"Prénom" = "first_name"\n')
    )
    form = FormMap.for_file("inscriptions.csv", both.inbox.headers, both.inbox.files)
    plain = read_table(plain_path, "registrations", form=form)
    assert ("prenom", "configured") in {(c.header, c.source) for c in plain.columns}
    assert not plain.from_form
    assert codes(plain.frame, both, plain.from_form) == ["role_outside_program"]


def test_the_demo_sends_a_batch_as_a_microsoft_forms_export(tmp_path):
    """The demo's form and the `[inbox]` sections of its jumelage.toml agree: every response
    goes in, the tool's own columns ignored."""
    from datetime import date as day

    from jumelage.config import load_config
    from jumelage.demo.forms import write_export
    from jumelage.demo.program import ProgramGenerator
    from jumelage.demo.run import prepare
    from jumelage.forms.check import check_file

    config = load_config(prepare(tmp_path / "demo"))
    gen = ProgramGenerator(11)
    people = [gen.person(role, day(2026, 9, 4)) for role in ("mentor",) * 3 + ("mentee",) * 5]
    path = write_export(tmp_path / "inscriptions-formulaire.xlsx", people, gen)
    code, text = check_file(path, config)
    assert code == 0, text
    assert "Lignes : 8 lues, 8 acceptées, 0 en quarantaine, 0 remplacées." in text
    assert "« Nom » → ignorée (nom vient d'une question de [inbox.headers])" in text
