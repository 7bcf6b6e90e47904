"""A believable synthetic mentoring program: Québec organizations, French names, manager chains."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources

#: The demo's data (names, organizations, regions, slots, tag synonyms): see program.toml.
DATA = tomllib.loads(resources.files("jumelage.demo").joinpath("program.toml").read_text("utf-8"))
FIRST_NAMES: list[str] = DATA["first_names"]
LAST_NAMES: list[str] = DATA["last_names"]
ORGANIZATIONS: dict[str, list[str]] = DATA["organizations"]
REGIONS: list[str] = DATA["regions"]
VOCABULARY: dict[str, list[str]] = DATA["goals"]
INTERESTS: dict[str, list[str]] = DATA["interests"]
SLOTS: list[str] = DATA["slots"]
LABELS_EN: dict[str, str] = DATA["labels_en"]


@dataclass
class Person:
    email: str
    role: str
    first_name: str
    last_name: str
    organization: str
    unit: str
    level: int
    manager_email: str = ""
    language: str = "fr"
    region: str = ""
    meeting_mode: str = "les deux"
    competencies: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    experience_years: int = 5
    availability: list[str] = field(default_factory=list)
    capacity: int = 1
    submitted_at: datetime = datetime(2026, 1, 1)


class ProgramGenerator:
    """Seeded people: mentors are senior managers, mentees juniors; some report to each other."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.managers: dict[tuple[str, str], list[str]] = {}

    def _email(self, first: str, last: str, organization: str) -> str:
        import unicodedata

        def ascii_(s: str) -> str:
            plain = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
            return "".join(c for c in plain.lower() if c.isalnum() or c == "-")

        domain = ascii_(organization.split()[-1])[:12] + ".gouv.qc.ca"
        base = f"{ascii_(first)}.{ascii_(last)}"
        email, n = f"{base}@{domain}", 1
        while email in self.used:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used.add(email)
        return email

    def person(self, role: str, day: date) -> Person:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        organization = rng.choice(list(ORGANIZATIONS))
        unit = rng.choice(ORGANIZATIONS[organization])
        level = rng.randint(3, 5) if role == "mentor" else rng.randint(1, 3)
        email = self._email(first, last, organization)
        person = Person(
            email,
            role,
            first,
            last,
            organization,
            unit,
            level,
            language=rng.choices(["fr", "en", "bilingue"], weights=[6, 1, 3])[0],
            region=rng.choice(REGIONS),
            meeting_mode=rng.choices(["les deux", "virtuel", "présentiel"], weights=[5, 3, 2])[0],
            competencies=rng.sample(list(VOCABULARY), rng.randint(2, 4))
            if role == "mentor"
            else [],
            goals=rng.sample(list(VOCABULARY), rng.randint(1, 3)) if role == "mentee" else [],
            interests=rng.sample(list(INTERESTS), rng.randint(0, 2)),
            experience_years=rng.randint(12, 30) if role == "mentor" else rng.randint(1, 10),
            availability=rng.sample(SLOTS, rng.randint(1, 4)),
            capacity=rng.choice([1, 1, 2, 2, 3]) if role == "mentor" else 1,
            submitted_at=datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))),
        )
        # Managers form chains inside a unit: a newcomer often reports to someone already there.
        chain = self.managers.setdefault((organization, unit), [])
        seniors = [e for e in chain if e != person.email]
        if seniors and rng.random() < 0.6:
            person.manager_email = rng.choice(seniors)
        if level >= 3:
            chain.append(person.email)
        return person

    def label(self, tag: str, table: dict[str, list[str]]) -> str:
        """A synonym as a person would type it (case and accents vary)."""
        text = self.rng.choice(table[tag])
        return text.upper() if self.rng.random() < 0.1 else text


def registration_row(person: Person, gen: ProgramGenerator) -> dict[str, str]:
    """One row with French headers, as a program office's form export gives it."""
    return {
        "date_inscription": person.submitted_at.strftime("%Y-%m-%d %H:%M"),
        "rôle": "mentor" if person.role == "mentor" else gen.rng.choice(["mentoré", "mentorée"]),
        "prénom": person.first_name,
        "nom": person.last_name,
        "courriel": person.email,
        "langue": person.language,
        "organisation": person.organization,
        "unité": person.unit,
        "courriel_supérieur": person.manager_email,
        "niveau_encadrement": str(person.level),
        "région": person.region,
        "mode_rencontre": person.meeting_mode,
        "compétences": "; ".join(gen.label(t, VOCABULARY) for t in person.competencies),
        "objectifs": "; ".join(gen.label(t, VOCABULARY) for t in person.goals),
        "intérêts": "; ".join(gen.label(t, INTERESTS) for t in person.interests),
        "années_expérience": str(person.experience_years),
        "disponibilités": ";".join(person.availability),
        "capacité": str(person.capacity) if person.role == "mentor" else "",
        # short formats (« mentorat éclair ») for some: their mid-point and final reviews,
        # answered by email, come within the demo's nights
        "durée_mois": _duration(gen) if person.role == "mentee" else "",
        "consentement": gen.rng.choice(["oui", "Oui", "OUI"]),
    }


def _duration(gen: ProgramGenerator) -> str:
    """A mentee's planned months: 1 or 2 for a few (one draw, as before), else the default."""
    return gen.rng.choices(["1", "2", ""], cum_weights=[15, 40, 100])[0]


def night_dates(start: date, nights: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(nights)]
