"""`jumelage init --from-form FILE`: the `[inbox.headers]` and `[inbox.values]` sections a
form export needs, guessed from its questions and the answers seen, for a coordinator to
confirm.

Every guess is written commented: the coordinator reads each line, corrects it if needed and
removes the `#`. Nothing is guessed silently: a question or an answer with no guess is listed
with an empty value, so that the coordinator sees what the night would not understand.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from jumelage import normalize as norm
from jumelage.config import Config, InboxConfig, VocabularyConfig
from jumelage.ingest.columns import FormMap, understand
from jumelage.ingest.reader import read_rows

#: (field, words that say it in a question, folded), tried in order: the first match wins.
QUESTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("submitted_at", ("horodateur", "timestamp", "heure de fin", "completion time",
                      "submitdate", "date de soumission", "date d'inscription")),
    ("manager_email", ("superieur", "gestionnaire", "supervisor", "manager")),
    ("preferred_mentors", ("mentors souhaites", "mentor souhaite", "preferred mentor")),
    ("email", ("adresse de messagerie", "courriel", "e-mail", "email", "adresse electronique")),
    ("first_name", ("prenom", "first name", "given name")),
    ("last_name", ("nom de famille", "last name", "surname", "family name")),
    ("management_level", ("niveau", "level", "classe d'emploi")),
    ("role", ("role", "mentor ou", "participer comme", "participate as", "inscris",
              "inscrivez-vous", "registering as", "sign up as")),
    ("language", ("langue", "language")),
    ("organization", ("ministere", "organisation", "organisme", "organization", "employeur",
                      "employer", "entreprise", "company")),
    ("unit", ("unite", "direction", "unit", "department", "service")),
    ("region", ("region",)),
    ("meeting_mode", ("mode de rencontre", "rencontres", "meeting", "presentiel", "virtuel",
                      "in person")),
    ("competencies", ("competence", "expertise", "skills", "partager", "share")),
    ("goals", ("objectif", "developper", "goal", "develop")),
    ("interests", ("interet", "interest", "loisir", "hobbies")),
    ("experience_years", ("experience",)),
    ("availability", ("disponibilit", "availability", "available")),
    ("capacity", ("combien", "capacit", "how many")),
    ("duration_months", ("duree", "duration", "how long")),
    ("consent", ("consent", "j'accepte", "accepte", "i agree", "autorise")),
)  # fmt: skip
#: The form tools' own columns, never a field: Microsoft Forms, Google Forms, LimeSurvey.
TOOL_COLUMNS = {
    "id", "heure de debut", "start time", "heure de la derniere modification",
    "last modified time", "nom", "name", "points", "total points", "commentaires",
    "lastpage", "startlanguage", "seed", "startdate", "datestamp", "refurl", "ipaddr", "token",
    "score",
}  # fmt: skip
#: The form tool's own "name" column (Microsoft Forms: the account's display name).
TOOL_NAMES = {"nom", "name"}
LIST_FIELDS = ("competencies", "goals", "interests", "availability", "preferred_mentors")
#: Fields whose answers are worth a values table (free text fields are kept as typed).
VALUED = (
    "role", "language", "meeting_mode", "management_level", "capacity", "experience_years",
    "duration_months", "consent", "competencies", "goals", "interests", "availability",
)  # fmt: skip
MAX_ANSWERS = 40  # per field: a question with more distinct answers is free text


def guess_field(header: str) -> str | None:
    """The field a form's question most likely asks for, from its words (or None)."""
    text = norm.answer_key(header)
    if text in TOOL_COLUMNS:
        return None
    for field, cues in QUESTION_WORDS:
        if any(re.search(r"(?<![a-z])" + re.escape(cue), text) for cue in cues):
            return field
    return None


def _integer(text: str) -> str | None:
    numbers = re.findall(r"\d+", text)
    return numbers[0] if len(numbers) == 1 else None


def _role(text: str) -> str | None:
    lowered = text.lower()
    if any(w in lowered for w in ("mentoré", "mentee", "mentoree", "accompagn", "be mentored")):
        return "mentee"
    if "mentor" in lowered:
        return "mentor"
    return None


def _language(text: str) -> str | None:
    folded = norm.fold(text)
    french = "francais" in folded or "french" in folded
    english = "anglais" in folded or "english" in folded
    if "bilingu" in folded or (french and english) or "les deux" in folded:
        return "fr,en"
    return "fr" if french else "en" if english else None


def _meeting_mode(text: str) -> str | None:
    folded = norm.fold(text)
    for cues, mode in (
        (("les deux", "hybride", "both", "indifferent", "peu importe", "either"), "both"),
        (("presentiel", "en personne", "in person", "face"), "in_person"),
        (("virtuel", "distance", "en ligne", "teams", "virtual", "online"), "virtual"),
    ):
        if any(c in folded for c in cues):
            return mode
    return None


def _consent(text: str) -> str | None:
    folded = norm.fold(text)
    if folded.startswith(("non", "no ", "no,", "je refuse", "i do not")) or folded == "no":
        return "non"
    if folded.startswith(("oui", "yes", "j'accepte", "i agree", "i accept", "je consens")):
        return "oui"
    return None


def _tag(vocabulary: dict[str, str]) -> Callable[[str], str | None]:
    def guess(text: str) -> str | None:
        key = norm.fold(text)
        if not vocabulary:
            return None
        for label, canonical in vocabulary.items():
            if label and (label in key or key in label):
                return canonical
        return None

    return guess


def _understood(field: str, value: str, vocabulary: VocabularyConfig) -> bool:
    """Whether the night already reads this answer as a valid value of `field`."""
    checks: dict[str, Callable[[str], object]] = {
        "role": norm.role,
        "language": norm.language,
        "meeting_mode": norm.meeting_mode,
        "consent": lambda v: norm.yes_no(v) == "yes",
        "availability": norm.slot,
        "management_level": norm.parse_int,
        "capacity": norm.parse_int,
        "experience_years": norm.parse_int,
        "duration_months": norm.parse_int,
    }
    if field in checks:
        return checks[field](value) is not None and checks[field](value) is not False
    lookup = vocabulary.lookup(field)
    return not lookup or norm.fold(value) in lookup


def _guesser(field: str, vocabulary: VocabularyConfig) -> Callable[[str], str | None]:
    guessers: dict[str, Callable[[str], str | None]] = {
        "role": _role,
        "language": _language,
        "meeting_mode": _meeting_mode,
        "consent": _consent,
        "availability": lambda v: norm.slot(v),
        "management_level": _integer,
        "capacity": _integer,
        "experience_years": _integer,
        "duration_months": _integer,
    }
    return guessers.get(field) or _tag(vocabulary.lookup(field))


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def suggest_sections(path: Path, config: Config | None = None) -> str:
    """The `[inbox.headers]` and `[inbox.values.<field>]` sections for the form export at
    `path`, every line commented for the coordinator to confirm; with `config`, what it maps
    already and its vocabulary are taken into account. Raises `UnreadableFile`."""
    inbox = config.inbox if config else InboxConfig()
    vocabulary = config.vocabulary if config else VocabularyConfig()
    header, rows, _, _ = read_rows(path)
    form = FormMap.for_file(path.name, inbox.headers, inbox.files)
    columns = {c.index: c for c in understand(header, "registrations", form)}
    microsoft = {"id", "heure de debut"} <= {norm.answer_key(h) for h in header} or {
        "id", "start time"} <= {norm.answer_key(h) for h in header}  # fmt: skip
    out = [
        f"# Proposed by `jumelage init --from-form {path.name}`: check each line, correct it",
        "# if needed, remove its '#', and add the sections to jumelage.toml.",
        "# Then `jumelage inbox check FILE` shows how the file would be read.",
        "",
        "[inbox.headers]",
    ]
    builtin = Counter(c.field for c in columns.values() if c.source == "builtin")
    fields: dict[int, str] = {}
    for index, name in enumerate(header):
        text = name.strip()
        if not text:
            continue
        column = columns.get(index)
        if column is not None and column.source == "configured":
            fields[index] = column.field or ""
            out.append(f"{_quoted(text)} = {_quoted(column.field or '')}  # already configured")
            continue
        key = norm.answer_key(text)
        if microsoft and key in TOOL_NAMES:
            out.append(
                f"# {_quoted(text)}: the form tool's display name (or « anonymous »), ignored "
                "once a question of the form is mapped to last_name"
            )
            continue
        if column is not None and column.source == "builtin" and builtin[column.field] == 1:
            fields[index] = column.field or ""
            out.append(f"# {_quoted(text)} = {_quoted(column.field or '')}  # understood as is")
            continue
        guessed = guess_field(text)
        if guessed is None:
            why = "the form tool's own column" if key in TOOL_COLUMNS else "no guess"
            out.append(f'# {_quoted(text)} = ""  # {why}: ignored unless mapped')
            continue
        fields[index] = guessed
        out.append(f"# {_quoted(text)} = {_quoted(guessed)}")
    taken = [f for f in fields.values() if f]
    for field in sorted({f for f in taken if taken.count(f) > 1}):
        out.append(f"# note: several questions guessed as {field}: keep one")

    for index, field in fields.items():
        if field not in VALUED:
            continue
        answers: dict[str, None] = {}
        for row in rows:
            cell = norm.clean(row[index] if index < len(row) else None)
            if cell is None:
                continue
            parts = norm.split_list(cell) if field in LIST_FIELDS or ";" in cell else [cell]
            answers.update(dict.fromkeys(parts))
        if not answers or (len(answers) > MAX_ANSWERS and field not in LIST_FIELDS):
            continue
        guess = _guesser(field, vocabulary)
        lines = []
        for answer in list(answers)[: MAX_ANSWERS * 2]:
            if _understood(field, answer, vocabulary):
                continue
            value = guess(answer)
            comment = "" if value else "  # no guess: the night would quarantine or ignore it"
            lines.append(f"# {_quoted(answer)} = {_quoted(value or '')}{comment}")
        if lines:
            out += ["", f"[inbox.values.{field}]", *lines]
    return "\n".join(out) + "\n"
