"""Column names of the inbox files, in English and French (SPEC §3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from jumelage.ingest.org_chart_columns import ORG_CHART_HEADERS, ORG_CHART_REQUIRED
from jumelage.normalize import answer_key, fold, header_key

# canonical column -> accepted headers (compared with `header_key`: case, accents, spacing).
REGISTRATION_HEADERS: dict[str, list[str]] = {
    # and the form tools' submission time: Microsoft Forms, Google Forms, LimeSurvey
    "submitted_at": [
        "submitted_at",
        "date_inscription",
        "date d'inscription",
        "heure de fin",
        "completion time",
        "horodateur",
        "timestamp",
        "submitdate",
    ],
    "role": ["role", "rôle"],
    "first_name": ["first_name", "prenom", "prénom"],
    "last_name": ["last_name", "nom", "nom de famille"],
    "email": ["email", "courriel", "e-mail", "adresse courriel"],
    "language": ["language", "langue"],
    "organization": ["organization", "organisation", "organisme", "ministere"],
    "unit": ["unit", "unite", "unité", "direction"],
    "manager_email": ["manager_email", "courriel_superieur", "courriel du supérieur"],
    "management_level": ["management_level", "niveau_encadrement", "niveau d'encadrement"],
    "region": ["region", "région"],
    "meeting_mode": ["meeting_mode", "mode_rencontre", "mode de rencontre"],
    "competencies": ["competencies", "competences", "compétences"],
    "goals": ["goals", "objectifs"],
    "interests": ["interests", "interets", "intérêts"],
    "experience_years": ["experience_years", "annees_experience", "années d'expérience"],
    "availability": ["availability", "disponibilites", "disponibilités"],
    "capacity": ["capacity", "capacite", "capacité"],
    "preferred_mentors": ["preferred_mentors", "mentors_souhaites", "mentors souhaités"],
    "duration_months": ["duration_months", "duree_mois", "durée (mois)"],
    "consent": ["consent", "consentement"],
}
REGISTRATION_REQUIRED = [
    "submitted_at",
    "role",
    "first_name",
    "last_name",
    "email",
    "organization",
    "management_level",
    "consent",
]

EVENT_HEADERS: dict[str, list[str]] = {
    "event_date": ["event_date", "date_evenement", "date de l'événement", "date"],
    "event_type": ["event_type", "type_evenement", "type d'événement", "type"],
    "email": ["email", "courriel"],
    "counterpart_email": ["counterpart_email", "courriel_partenaire", "courriel du partenaire"],
    "proposal_id": ["proposal_id", "no_proposition", "numéro de proposition"],
    "value": ["value", "valeur"],
}
EVENT_REQUIRED = ["event_date", "event_type", "email"]

HEADERS = {
    "registrations": REGISTRATION_HEADERS,
    "events": EVENT_HEADERS,
    "org_chart": ORG_CHART_HEADERS,
}
REQUIRED = {
    "registrations": REGISTRATION_REQUIRED,
    "events": EVENT_REQUIRED,
    "org_chart": ORG_CHART_REQUIRED,
}


def header_lookup(kind: str) -> dict[str, str]:
    """Folded header -> canonical column for one kind of file."""
    return {header_key(h): column for column, names in HEADERS[kind].items() for h in names}


@dataclass(frozen=True)
class FormMap:
    """What `[inbox]` says about one file: its questions (`answer_key` -> field) and the
    fields its name fixes (`[inbox.files."<pattern>"]`, field -> value)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_file(
        cls,
        name: str,
        headers: Mapping[str, str],
        files: Mapping[str, Mapping[str, str]],
    ) -> FormMap:
        fixed: dict[str, str] = {}
        for pattern, values in files.items():
            if name_matches(name, pattern):
                fixed.update(values)
        return cls({answer_key(h): f for h, f in headers.items()}, fixed)


def name_matches(name: str, pattern: str) -> bool:
    """A file-name pattern of `[inbox.files]` (`*`, `?`), case and accents ignored."""
    return fnmatchcase(fold(name), fold(pattern))


@dataclass(frozen=True)
class Column:
    """How one header of a file was understood: its field, or why it is ignored."""

    index: int
    header: str
    field: str | None  # None: ignored
    # configured | builtin | unknown | fixed (the file name sets the field) | overridden
    source: str
    names: str | None = None  # the field it names, for a column ignored as fixed or overridden


def understand(header: Sequence[str], kind: str, form: FormMap | None = None) -> list[Column]:
    """Each non-empty header's field: a question of `[inbox.headers]` first, then the
    built-in English and French names. A column whose field the file name fixes, or that a
    configured question of the same field takes over (Microsoft Forms' own `Nom` beside the
    form's « Nom de famille »), is ignored; duplicates are left for the caller to refuse."""
    form = form or FormMap()
    lookup = header_lookup(kind)
    found: list[Column] = []
    for index, name in enumerate(header):
        text = name.strip()
        if not text:
            continue
        configured = form.headers.get(answer_key(text)) if kind == "registrations" else None
        if configured is not None:
            found.append(Column(index, text, configured, "configured"))
            continue
        builtin = lookup.get(header_key(text)) or lookup.get(header_key(answer_key(text)))
        found.append(Column(index, text, builtin, "builtin" if builtin else "unknown"))
    taken = {c.field for c in found if c.source == "configured"}
    fixed = set(form.fixed) if kind == "registrations" else set()
    return [
        Column(c.index, c.header, None, "fixed", c.field)
        if c.field in fixed
        else Column(c.index, c.header, None, "overridden", c.field)
        if c.source == "builtin" and c.field in taken
        else c
        for c in found
    ]
