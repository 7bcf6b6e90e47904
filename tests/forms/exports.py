"""Form exports as the tools write them, as real files: Microsoft Forms (XLSX, French and
English), Google Forms (CSV, French and English locales), LimeSurvey (CSV, question codes).

Each helper takes answers by field and lays them out under the tool's own columns and the
form's question texts, with the tool's date format and multiple-choice joining.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from jumelage.demo.files import write_csv, write_forms_xlsx

#: The `[inbox]` sections of a program with a French mentee form and an English mentor form
#: on Microsoft Forms, a Google form in each language, and a LimeSurvey survey.
FORMS_CONFIG = """
[inbox.headers]
"Adresse de messagerie" = "email"
"Nom de famille" = "last_name"
"Je m’inscris comme" = "role"
"Ministère ou organisme :" = "organization"
"Quel est votre niveau d'encadrement ?" = "management_level"
"Langue(s) de communication" = "language"
"Quels objectifs souhaitez-vous développer ?" = "goals"
"Centres d'intérêt" = "interests"
"J'accepte que mes renseignements soient utilisés pour le jumelage" = "consent"
"First name" = "first_name"
"Last name" = "last_name"
"Ministry or agency" = "organization"
"What is your management level?" = "management_level"
"Which skills can you share?" = "competencies"
"I agree that my information be used for matching" = "consent"
"Email Address" = "email"
"Adresse e-mail" = "email"
"Q01" = "email"
"Q02" = "first_name"
"Q03" = "last_name"
"Q04" = "role"
"Q05" = "organization"
"Q06" = "management_level"
"Q07" = "goals"
"Q08" = "consent"

[inbox.values.management_level]
"Chef d'équipe (niveau 1)" = "1"
"Cadre intermédiaire (niveau 3)" = "3"
"Director (level 4)" = 4
"A1" = "1"
"A2" = "2"

[inbox.values.consent]
"Oui, j’accepte que mes renseignements soient utilisés pour le jumelage" = "oui"
"Yes, I agree" = "yes"
"Y" = "oui"

[inbox.values.role]
"Personne mentorée" = "mentee"
"Mentor ou mentore" = "mentor"
"M" = "mentor"
"P" = "mentee"

[inbox.values.goals]
"Mieux mobiliser mon équipe" = "leadership"
"Penser à long terme, en stratégie" = "strategie"

[inbox.values.language]
"Français" = "fr"
"English" = "en"

[inbox.files."mentors*"]
role = "mentor"
"""

SUBMITTED = datetime(2026, 10, 31, 9, 15)

MICROSOFT_FR = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom"]
MICROSOFT_EN = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
FRENCH_QUESTIONS = {
    "first_name": "Prénom",
    "last_name": "Nom de famille",
    "role": "Je m'inscris comme",
    "organization": "Ministère ou organisme",
    "management_level": "Quel est votre niveau d’encadrement ?",
    "language": "Langue(s) de communication",
    "goals": "Quels objectifs souhaitez-vous développer ?",
    "interests": "Centres d’intérêt",
    "consent": "J’accepte que mes renseignements soient utilisés pour le jumelage",
}
ENGLISH_QUESTIONS = {
    "first_name": "First name",
    "last_name": "Last name",
    "organization": "Ministry or agency",
    "management_level": "What is your management level ?",
    "competencies": "Which skills can you share?",
    "consent": "I agree that my information be used for matching",
}


def choices(*labels: str) -> str:
    """Microsoft Forms' multiple choice: each chosen label followed by `;`."""
    return "".join(f"{label};" for label in labels)


def microsoft_forms_fr(path: Path, answers: list[dict[str, str]]) -> Path:
    """A French Microsoft Forms export (« Ouvrir dans Excel »): typed ID and times, the
    respondent's account (« Adresse de messagerie », « Nom »), then the questions."""
    rows = []
    for number, answer in enumerate(answers, start=1):
        end = SUBMITTED + timedelta(minutes=number)
        rows.append(
            {
                "ID": number,
                "Heure de début": end - timedelta(minutes=7),
                "Heure de fin": end,
                "Adresse de messagerie": answer["email"],
                "Nom": f"{answer.get('first_name', '')} {answer.get('last_name', '')}",
                **{q: answer.get(f, "") for f, q in FRENCH_QUESTIONS.items()},
            }
        )
    return write_forms_xlsx(path, [*MICROSOFT_FR, *FRENCH_QUESTIONS.values()], rows)


def microsoft_forms_en(path: Path, answers: list[dict[str, str]]) -> Path:
    """An English Microsoft Forms export (the mentors' form: no role question)."""
    rows = []
    for number, answer in enumerate(answers, start=1):
        end = SUBMITTED + timedelta(hours=1, minutes=number)
        rows.append(
            {
                "ID": number,
                "Start time": end - timedelta(minutes=4),
                "Completion time": end,
                "Email": answer["email"],
                "Name": f"{answer.get('first_name', '')} {answer.get('last_name', '')}",
                "Last modified time": "",
                **{q: answer.get(f, "") for f, q in ENGLISH_QUESTIONS.items()},
            }
        )
    return write_forms_xlsx(path, [*MICROSOFT_EN, *ENGLISH_QUESTIONS.values()], rows)


def google_forms(path: Path, answers: list[dict[str, str]], *, locale: str) -> Path:
    """A Google Forms CSV (« Télécharger les réponses »): its timestamp column in the locale's
    format, then the questions (checkboxes joined with ", ")."""
    if locale == "fr":
        stamp, email = "Horodateur", "Adresse e-mail"
        fmt = "%d/%m/%Y %H:%M:%S"
    else:
        stamp, email = "Timestamp", "Email Address"
        fmt = "%Y/%m/%d %-I:%M:%S %p UTC−4"
    questions = FRENCH_QUESTIONS if locale == "fr" else {**ENGLISH_QUESTIONS, "role": "Role"}
    rows = []
    for number, answer in enumerate(answers, start=1):
        moment = SUBMITTED + timedelta(hours=4 * number)
        rows.append(
            {
                stamp: answer.get("submitted_at") or moment.strftime(fmt),
                email: answer["email"],
                **{q: answer.get(f, "") for f, q in questions.items()},
            }
        )
    return write_csv(path, rows, header=[stamp, email, *questions.values()])


LIMESURVEY_TOOL = ["id", "submitdate", "lastpage", "startlanguage", "seed"]


def limesurvey(path: Path, answers: list[dict[str, str]]) -> Path:
    """A LimeSurvey CSV export with question codes as headers and answer codes (`A1`, `Y`)."""
    codes = {"Q01": "email", "Q02": "first_name", "Q03": "last_name", "Q04": "role",
             "Q05": "organization", "Q06": "management_level", "Q07": "goals", "Q08": "consent"}  # fmt: skip
    rows = []
    for number, answer in enumerate(answers, start=1):
        moment = SUBMITTED + timedelta(days=number)
        rows.append(
            {
                "id": str(number),
                "submitdate": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "lastpage": "3",
                "startlanguage": "fr",
                "seed": str(1_000_000 + number * 7919),
                **{code: answer.get(field, "") for code, field in codes.items()},
            }
        )
    return write_csv(path, rows, header=[*LIMESURVEY_TOOL, *codes], separator=";", bom=True)
