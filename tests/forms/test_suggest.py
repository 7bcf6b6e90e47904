"""`jumelage init --from-form FILE`: the [inbox] sections guessed from a form's export."""

from __future__ import annotations

import tomllib

import pytest

from jumelage.cli import main
from jumelage.config import load_config
from jumelage.forms.check import check_file
from jumelage.forms.suggest import guess_field, suggest_sections

from ..conftest import BASE_CONFIG
from .exports import choices, google_forms, limesurvey, microsoft_forms_fr
from .test_exports import MENTEE


def confirmed(text: str) -> str:
    """What a coordinator keeps: every guessed line with a value, uncommented."""
    kept = []
    for line in text.splitlines():
        if line.startswith("[") or not line.strip():
            kept.append(line)
        elif line.startswith('# "') and '= ""' not in line and " = " in line:
            kept.append(line[2:].split("  #")[0])
    return "\n".join(kept) + "\n"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Quel est votre niveau d'encadrement ?", "management_level"),
        ("Adresse courriel de votre supérieur(e) immédiat(e)", "manager_email"),
        ("Adresse de messagerie", "email"),
        ("Souhaitez-vous participer comme mentor ou comme personne mentorée ?", "role"),
        ("Dans quel ministère ou organisme travaillez-vous ?", "organization"),
        ("Quelles compétences pouvez-vous partager ?", "competencies"),
        ("Quels objectifs souhaitez-vous développer ?", "goals"),
        ("Combien d'années d'expérience en gestion avez-vous ?", "experience_years"),
        ("Combien de personnes pouvez-vous accompagner ?", "capacity"),
        ("Vos disponibilités", "availability"),
        ("What is your preferred language?", "language"),
        ("Which skills can you share with a mentee?", "competencies"),
        ("I agree that my information be used for matching", "consent"),
        ("Horodateur", "submitted_at"),
        ("Contrôle de la qualité", None),  # "role" inside a word is not a role
        ("ID", None),
        ("Q01", None),
    ],
)
def test_a_question_is_guessed_from_its_words(question, field):
    assert guess_field(question) == field


def test_microsoft_forms_sections_round_trip_to_a_clean_check(program, tmp_path):
    answers = [
        {**MENTEE, "role": "Je souhaite être accompagnée"},
        {**MENTEE, "email": "b@x.ca", "management_level": "Cadre intermédiaire (niveau 3)",
         "interests": ""},
    ]  # fmt: skip
    path = microsoft_forms_fr(tmp_path / "Formulaire sans titre(1-2).xlsx", answers)
    config = program()

    text = suggest_sections(path, config)

    assert '# "Je m\'inscris comme" = "role"' in text
    assert '# "Nom de famille" = "last_name"' in text  # beside Microsoft's own « Nom »
    assert '# "Nom": the form tool\'s display name' in text
    assert '# "ID" = ""  # the form tool\'s own column: ignored unless mapped' in text
    assert '# "Chef d\'équipe (niveau 1)" = "1"' in text
    assert '# "Cadre intermédiaire (niveau 3)" = "3"' in text
    assert '# "Je souhaite être accompagnée" = "mentee"' in text
    assert (
        '# "Oui, j\'accepte que mes renseignements soient utilisés pour le jumelage" = "oui"'
        in text
    )
    assert '# "Mieux mobiliser mon équipe" = ""  # no guess' in text
    assert '"Français"' not in text  # already understood by the night
    tomllib.loads(text)  # as printed: valid TOML, nothing active but empty tables

    mapped = tmp_path / "mapped" / "jumelage.toml"
    mapped.parent.mkdir()
    mapped.write_text(BASE_CONFIG + confirmed(text), encoding="utf-8")
    code, report = check_file(path, load_config(mapped))
    assert code == 0, report
    assert "Lignes : 2 lues, 2 acceptées, 0 en quarantaine, 0 remplacées." in report


def test_google_and_limesurvey_exports(tmp_path):
    google = google_forms(
        tmp_path / "g.csv",
        [{**MENTEE, "goals": "Gestion du changement, Leadership"}],
        locale="en",
    )
    text = suggest_sections(google)  # without a configuration
    assert '# "Timestamp" = "submitted_at"  # understood as is' in text
    assert '# "Email Address" = "email"' in text
    lime = limesurvey(tmp_path / "l.csv", [{**MENTEE, "role": "P", "consent": "Y"}])
    text = suggest_sections(lime)
    assert '# "submitdate" = "submitted_at"  # understood as is' in text
    assert '# "Q04" = ""  # no guess: ignored unless mapped' in text
    assert '# "seed" = ""  # the form tool\'s own column' in text


def test_the_cli_prints_the_sections(program, tmp_path, capsys):
    config = program()
    path = microsoft_forms_fr(
        tmp_path / "export.xlsx", [{**MENTEE, "goals": choices("Leadership")}]
    )
    assert main(["init", "--from-form", str(path), "--config", str(config.source)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Proposed by `jumelage init --from-form export.xlsx`")
    assert "[inbox.headers]" in out
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert main(["init", "--from-form", str(broken), "--config", str(config.source)]) == 1
    assert "broken.xlsx" in capsys.readouterr().err
