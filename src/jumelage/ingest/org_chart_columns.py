"""Column names of an org chart file (SPEC §3 "Org chart"), in English and French."""

from __future__ import annotations

ORG_CHART_HEADERS: dict[str, list[str]] = {
    "email": ["email", "courriel", "e-mail", "adresse courriel"],
    "manager_email": [
        "manager_email",
        "courriel_superieur",
        "courriel du supérieur",
        "supérieur",
        "gestionnaire",
    ],
    "organization": ["organization", "organisation", "organisme", "ministere"],
    "unit": ["unit", "unite", "unité", "direction"],
    "management_level": ["management_level", "niveau_encadrement", "niveau d'encadrement"],
}
ORG_CHART_REQUIRED = ["email", "manager_email"]
