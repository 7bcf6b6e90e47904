"""Each kind of invalid registration row, with its exact reasons, and superseded duplicates."""

import polars as pl
import pytest

from jumelage.validate.registrations import validate_registrations

from ..conftest import EN_HEADER, reg


def frame(*rows: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"row_number": list(range(1, len(rows) + 1))}
        | {c: [r.get(c, "") for r in rows] for c in EN_HEADER},
        schema={"row_number": pl.Int64} | dict.fromkeys(EN_HEADER, pl.String),
    )


def reasons_of(result, row):
    found = result.quarantined.filter(pl.col("row_number") == row)["reasons"].to_list()
    return found[0] if found else []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"email": ""}, ["courriel : courriel manquant"]),
        (
            {"email": "jean.cote-at-msss"},
            ["courriel : courriel illisible (attendu : prenom.nom@organisation.ca) « jean.cote-at-msss »"],
        ),
        ({"management_level": "7"}, ["niveau_encadrement : niveau 7 hors de 1..5"]),
        ({"management_level": "0"}, ["niveau_encadrement : niveau 0 hors de 1..5"]),
        (
            {"management_level": "cadre"},
            ["niveau_encadrement : niveau d'encadrement illisible (attendu : un nombre entier) « cadre »"],
        ),
        (
            {"role": "mentore", "capacity": "9", "competencies": "leadership"},
            ["capacite : capacité 9 hors de 1..5"],
        ),
        (
            {"submitted_at": "31/09/2026"},
            ["date_inscription : date illisible (attendu : AAAA-MM-JJ ou AAAA-MM-JJ HH:MM) « 31/09/2026 »"],
        ),
        ({"submitted_at": ""}, ["date_inscription : date manquante (attendu : AAAA-MM-JJ)"]),
        (
            {"consent": "non"},
            ["consentement : consentement non donné (attendu : oui) : la personne doit consentir avant d'être jumelée « non »"],
        ),
        ({"consent": ""}, ["consentement : consentement manquant (attendu : oui)"]),
        (
            {"role": "stagiaire"},
            ["role : rôle hors du programme, ligne écartée sans correction possible (seuls mentor, mentore, mentoré et mentorée s'inscrivent) « stagiaire »"],
        ),
        (
            {"role": "mentorr"},  # a slip of the keyboard: to correct
            ["role : rôle inconnu (attendu : mentor, mentore, mentoré, mentorée ; attention à l'accent) « mentorr »"],
        ),
        (
            {"role": "mentor", "competencies": ""},
            ["competences : compétences manquantes : obligatoires pour un mentor"],
        ),
        ({"goals": ""}, ["objectifs : objectifs manquants : obligatoires pour une personne mentorée"]),
        (
            {"language": "espagnol"},
            ["langue : langue inconnue (attendu : fr, en, fr,en, français, anglais ou bilingue) « espagnol »"],
        ),
        (
            {"meeting_mode": "téléphone"},
            ["mode_rencontre : mode de rencontre inconnu (attendu : présentiel, virtuel ou les deux) « téléphone »"],
        ),
        (
            {"preferred_mentors": "a@b.ca; pas-un-courriel"},
            ["mentors_souhaites : courriel illisible « pas-un-courriel »"],
        ),
        (
            {"experience_years": "-2"},
            ["annees_experience : années d'expérience illisibles (attendu : un nombre entier positif ou vide) « -2 »"],
        ),
        ({"first_name": " ", "last_name": ""}, ["prenom : prénom manquant", "nom : nom manquant"]),
    ],
)  # fmt: skip
def test_invalid_row_is_quarantined_with_its_exact_reasons(config, change, expected):
    result = validate_registrations(frame(reg(email="ok@x.ca"), reg(**change)), config)
    assert reasons_of(result, 2) == expected
    assert result.accepted["row_number"].to_list() == [1]
    assert sum(result.counts.values()) == 2


def test_all_reasons_of_one_row_are_kept(config):
    row = reg(email="", management_level="9", consent="non", role="chef")
    result = validate_registrations(frame(row), config)
    reasons = reasons_of(result, 1)
    assert len(reasons) == 4
    assert {r.split(" : ")[0] for r in reasons} == {
        "role",
        "courriel",
        "consentement",
        "niveau_encadrement",
    }
    raw = result.quarantined["raw"].to_list()[0]
    assert '"role": "chef"' in raw


def test_levels_follow_the_configuration(program):
    config = program("")
    wider = program("").model_copy(
        update={"program": config.program.model_copy(update={"management_levels": 8})}
    )
    rows = frame(reg(management_level="7"))
    assert validate_registrations(rows, config).quarantined.height == 1
    assert validate_registrations(rows, wider).accepted.height == 1


def test_values_are_normalized(config):
    row = reg(
        role="Mentorée",
        email=" Jean.Cote@MSSS.gouv.qc.ca ",
        language="Bilingue",
        meeting_mode="Présentiel",
        goals="Leadership Mobilisateur | GESTION DU CHANGEMENT; astrologie",
        interests="Plein air;poterie",
        availability="lun-am; Mer-PM; yoga-pm",
        management_level="2.0",
        preferred_mentors="A@B.ca; c@d.ca",
        submitted_at="2026-01-05T08:30:00",
    )
    result = validate_registrations(frame(row), config)
    accepted = result.accepted.row(0, named=True)
    assert accepted["role"] == "mentee"
    assert accepted["email"] == "jean.cote@msss.gouv.qc.ca"
    assert accepted["language"] == "fr,en"
    assert accepted["meeting_mode"] == "in_person"
    assert accepted["goals"] == ["gestion_changement", "leadership"]
    assert accepted["interests"] == ["plein_air"]
    assert accepted["availability"] == ["mon-am", "wed-pm"]
    assert accepted["management_level"] == 2
    assert accepted["capacity"] == 1
    assert accepted["preferred_mentors"] == ["a@b.ca", "c@d.ca"]
    assert result.unknown_values.rows() == [
        (1, "objectifs", "astrologie"),
        (1, "interets", "poterie"),
        (1, "disponibilites", "yoga-pm"),
    ]


def test_duplicates_keep_the_latest_and_record_the_others(config):
    rows = frame(
        reg(submitted_at="2026-01-07", goals="leadership"),
        reg(email="autre@x.ca"),
        reg(submitted_at="2026-01-09 10:00", goals="strategie"),  # latest: wins
        reg(submitted_at="2026-01-08", goals="leadership"),
        reg(role="mentor", competencies="leadership", management_level="3"),  # other role: kept
    )
    result = validate_registrations(rows, config)
    assert result.accepted["row_number"].to_list() == [2, 3, 5]
    assert result.superseded.select("row_number", "replaced_by_row").rows() == [(1, 3), (4, 3)]
    assert result.accepted.filter(pl.col("row_number") == 3)["goals"].to_list() == [["strategie"]]
    assert result.counts == {"accepted": 3, "quarantined": 0, "superseded": 2}


def test_a_quarantined_row_does_not_supersede(config):
    rows = frame(reg(submitted_at="2026-01-07"), reg(submitted_at="2026-01-09", consent="non"))
    result = validate_registrations(rows, config)
    assert result.counts == {"accepted": 1, "quarantined": 1, "superseded": 0}
