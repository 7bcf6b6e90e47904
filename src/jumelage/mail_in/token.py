"""The signed token of an answer: who may answer about what, without a web link.

An email that asks for an answer carries, in its `mailto:` buttons' subjects, a marker
`[JM <proposal or relationship id> <answer> <token>]`. The token is an HMAC-SHA256 of the id
and the recipient's address, keyed by the program's secret (`JUMELAGE_SECRET`, else the
system keyring), never stored in the repository or the configuration file. It binds the id
to the person, not to the answer, so a person may also write another answer in words.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass

import keyring

from jumelage.errors import ConfigError

SECRET_ENV = "JUMELAGE_SECRET"
KEYRING_SERVICE = "jumelage-secret"
KEYRING_NAME = "token"
TOKEN_LENGTH = 20
MARKER = re.compile(
    r"\[?\s*JM[\s:#]+([PR]-\d{8}-[0-9A-F]{8})[\s:]+([a-z_]{2,20})[\s:]+([0-9a-f]{8,64})\b",
    re.I,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Marker:
    ref: str  # P-... (a proposal) or R-... (a relationship)
    answer: str  # a key of the answers catalogue
    token: str


def secret() -> bytes | None:
    """`JUMELAGE_SECRET`, else the keyring (service 'jumelage-secret', name 'token')."""
    value = os.environ.get(SECRET_ENV)
    if not value:
        try:
            value = keyring.get_password(KEYRING_SERVICE, KEYRING_NAME)
        except Exception as exc:  # no usable keyring backend: the same as no secret
            log.warning("system keyring unavailable: %s", type(exc).__name__)
            value = None
    return value.encode("utf-8") if value else None


def require_secret() -> bytes:
    """The secret, or a ConfigError that says where to put it."""
    found = secret()
    if found is None:
        raise ConfigError(
            "[mailbox_in] is configured but no secret signs the answer tokens: set "
            f"{SECRET_ENV} (a long random string, e.g. `python -c 'import secrets; "
            "print(secrets.token_hex(32))'`) or store it in the system keyring "
            f"(service '{KEYRING_SERVICE}', name '{KEYRING_NAME}')"
        )
    return found


def sign(key: bytes, ref: str, email: str) -> str:
    message = f"{ref.upper()}\x1f{email.strip().lower()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]


def verify(key: bytes, ref: str, email: str, token: str) -> bool:
    return hmac.compare_digest(sign(key, ref, email), token.lower())


def marker(key: bytes, ref: str, answer: str, email: str) -> str:
    """The marker that a `mailto:` button puts in the subject."""
    return f"[JM {ref} {answer} {sign(key, ref, email)}]"


def find(text: str) -> list[Marker]:
    """Every marker in `text` (a subject, a body), in order, each once."""
    found: list[Marker] = []
    for ref, answer, token in MARKER.findall(text):
        m = Marker(ref.upper(), answer.lower(), token.lower())
        if m not in found:
            found.append(m)
    return found
