import pytest

from jumelage import normalize as norm


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mentor", "mentor"),
        ("Mentore", "mentor"),
        ("MENTORÉ", "mentee"),
        ("mentorée", "mentee"),
        ("mentoree", "mentee"),
        ("Personne mentorée", "mentee"),
        ("mentee", "mentee"),
        ("mentore\u0301", "mentee"),  # é typed as e + combining accent (macOS exports)
        ("chef", None),
    ],
)
def test_roles_keep_the_accent_on_e(typed, expected):
    assert norm.role(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Français", "fr"), ("anglais", "en"), ("fr,en", "fr,en"), ("EN, FR", "fr,en"),
     ("Bilingue", "fr,en"), ("fr et en", "fr,en"), ("espagnol", None)],
)  # fmt: skip
def test_languages(typed, expected):
    assert norm.language(typed) == expected


def test_meeting_modes_and_yes_no():
    assert norm.meeting_mode("Présentiel") == "in_person"
    assert norm.meeting_mode("les deux") == "both"
    assert norm.meeting_mode("virtuel") == "virtual"
    assert norm.yes_no("OUI") == "yes"
    assert norm.yes_no("Non") == "no"
    assert norm.yes_no("peut-être") is None


def test_headers_and_tags_fold():
    assert norm.header_key("\ufeffCourriel Supérieur ") == "courriel_superieur"
    assert norm.header_key("Date d'inscription") == "date_d_inscription"
    assert norm.fold("  Gestion   du CHANGEMENT ") == "gestion du changement"
    assert norm.split_list("leadership; stratégie | ; négociation") == [
        "leadership",
        "stratégie",
        "négociation",
    ]


def test_slots_and_numbers_and_dates():
    assert norm.slot("lun-am") == "mon-am"
    assert norm.slot("Mercredi PM") == "wed-pm"
    assert norm.slot("mon-am") == "mon-am"
    assert norm.slot("yoga-pm") is None
    assert norm.parse_int("3.0") == 3
    assert norm.parse_int(" 4 ") == 4
    assert norm.parse_int("trois") is None
    assert norm.parse_datetime("2026-01-05T08:30:00Z").hour == 8
    assert norm.parse_date("2026-01-05 08:30").isoformat() == "2026-01-05"
    assert norm.parse_date("2026-02-30") is None
    assert norm.parse_date("05/01/2026") is None
