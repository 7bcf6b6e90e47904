"""Column names of the inbox files, in English and French (SPEC §3)."""

from __future__ import annotations

from jumelage.ingest.org_chart_columns import ORG_CHART_HEADERS, ORG_CHART_REQUIRED
from jumelage.normalize import header_key

# canonical column -> accepted headers (compared with `header_key`: case, accents, spacing).
REGISTRATION_HEADERS: dict[str, list[str]] = {
    "submitted_at": ["submitted_at", "date_inscription", "date d'inscription"],
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
