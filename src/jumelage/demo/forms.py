"""The demo program's registration form on Microsoft Forms: its questions, its choice texts,
and the `[inbox]` sections that map them (written into the demo's jumelage.toml)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from jumelage.demo.files import write_forms_xlsx
from jumelage.demo.program import INTERESTS, VOCABULARY, Person, ProgramGenerator

#: Microsoft Forms' own columns, then the form's questions (header -> field, None: ignored).
TOOL_COLUMNS = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom"]
QUESTIONS: dict[str, str] = {
    "Prénom": "first_name",
    "Nom de famille": "last_name",
    "Adresse de messagerie": "email",
    "Je m'inscris comme…": "role",
    "Langue(s) de communication": "language",
    "Ministère ou organisme": "organization",
    "Direction": "unit",
    "Adresse courriel de votre supérieur(e) immédiat(e)": "manager_email",
    "Quel est votre niveau d'encadrement ?": "management_level",
    "Région administrative de travail": "region",
    "Préférez-vous des rencontres en personne ou en ligne ?": "meeting_mode",
    "Quelles compétences pouvez-vous partager ? (mentors)": "competencies",
    "Quels objectifs souhaitez-vous développer ? (personnes mentorées)": "goals",
    "Vos centres d'intérêt": "interests",
    "Années d'expérience en gestion": "experience_years",
    "Vos disponibilités": "availability",
    "Combien de personnes pouvez-vous accompagner à la fois ?": "capacity",
    "Consentement": "consent",
}
ROLES = {"mentor": "Mentor ou mentore : j'accompagne une personne",
         "mentee": "Personne mentorée : je souhaite être accompagnée"}  # fmt: skip
LEVELS = {1: "Chef d'équipe (niveau 1)", 2: "Cadre intermédiaire (niveau 2)",
          3: "Directrice ou directeur (niveau 3)", 4: "Direction générale (niveau 4)",
          5: "Sous-ministre adjointe ou adjoint (niveau 5)"}  # fmt: skip
LANGUAGES = {"Français": "fr", "Anglais": "en"}
MODES = {"présentiel": "En personne", "virtuel": "En ligne (Teams)", "les deux": "Peu importe"}
MODE_VALUES = {"En personne": "in_person", "En ligne (Teams)": "virtual", "Peu importe": "both"}
DAYS = {"lun": "Lundi", "mar": "Mardi", "mer": "Mercredi", "jeu": "Jeudi", "ven": "Vendredi"}
HALVES = {"am": "matin", "pm": "après-midi"}
CONSENT = "Oui, j'accepte que mes renseignements soient utilisés pour le jumelage"
QUESTION_HEADERS = [q for q in QUESTIONS if q not in TOOL_COLUMNS]


def _choices(labels: list[str]) -> str:
    """Microsoft Forms' multiple choice: each choice followed by `;`."""
    return "".join(f"{label};" for label in labels)


def response(person: Person, gen: ProgramGenerator, number: int) -> dict[str, object]:
    """One response as the form's export gives it (typed cells, choice texts)."""
    languages = {"fr": ["Français"], "en": ["Anglais"], "bilingue": ["Français", "Anglais"]}
    first_label = {tag: labels[0] for tag, labels in {**VOCABULARY, **INTERESTS}.items()}
    return {
        "ID": number,
        "Heure de début": person.submitted_at - timedelta(minutes=gen.rng.randint(3, 15)),
        "Heure de fin": person.submitted_at,
        "Adresse de messagerie": person.email,
        "Nom": f"{person.first_name} {person.last_name}",
        "Prénom": person.first_name,
        "Nom de famille": person.last_name,
        "Je m'inscris comme…": ROLES[person.role],
        "Langue(s) de communication": _choices(languages[person.language]),
        "Ministère ou organisme": person.organization,
        "Direction": person.unit,
        "Adresse courriel de votre supérieur(e) immédiat(e)": person.manager_email,
        "Quel est votre niveau d'encadrement ?": LEVELS[person.level],
        "Région administrative de travail": person.region,
        "Préférez-vous des rencontres en personne ou en ligne ?": MODES[person.meeting_mode],
        "Quelles compétences pouvez-vous partager ? (mentors)": _choices(
            [first_label[t].capitalize() for t in person.competencies]
        ),
        "Quels objectifs souhaitez-vous développer ? (personnes mentorées)": _choices(
            [first_label[t].capitalize() for t in person.goals]
        ),
        "Vos centres d'intérêt": _choices([first_label[t].capitalize() for t in person.interests]),
        "Années d'expérience en gestion": person.experience_years,
        "Vos disponibilités": _choices(
            [f"{DAYS[s[:3]]} {HALVES[s[4:]]}" for s in person.availability]
        ),
        "Combien de personnes pouvez-vous accompagner à la fois ?": (
            person.capacity if person.role == "mentor" else ""
        ),
        "Consentement": CONSENT,
    }


def write_export(path: Path, people: list[Person], gen: ProgramGenerator) -> Path:
    """The form's responses as Microsoft Forms exports them (« Ouvrir dans Excel »)."""
    rows = [response(p, gen, n) for n, p in enumerate(people, start=1)]
    return write_forms_xlsx(path, [*TOOL_COLUMNS, *QUESTION_HEADERS], rows, sheet="Form1")


def inbox_sections() -> list[str]:
    """The `[inbox.headers]` and `[inbox.values.*]` lines that map this form."""
    quoted = json.dumps
    lines = ["[inbox.headers]", *(f"{quoted(q, ensure_ascii=False)} = {quoted(f)}"
                                  for q, f in QUESTIONS.items())]  # fmt: skip
    values = {
        "role": {text: role for role, text in ROLES.items()},
        "management_level": {text: str(level) for level, text in LEVELS.items()},
        "language": LANGUAGES,
        "meeting_mode": MODE_VALUES,
        "consent": {CONSENT: "oui"},
    }
    for field, table in values.items():
        lines += ["", f"[inbox.values.{field}]"]
        lines += [f"{quoted(t, ensure_ascii=False)} = {quoted(v)}" for t, v in table.items()]
    return lines
