"""Idempotency keys and Message-IDs, derived only from what a message is about.

The same (kind, about, due date, recipient) always gives the same key, on any machine and
in any run, so that re-running a night or reprocessing it queues nothing new, and the same
Message-ID, so that a message resent on a coordinator's word can be recognised.
"""

from __future__ import annotations

import hashlib
from datetime import date


def email_key(kind: str, about: str | None, due_on: date | str | None, recipient: str) -> str:
    """`<kind>-<16 hex>`: short, safe in file names, URLs and Message-IDs.

    `about` is what the message is about (a proposal id, a relationship id, a run date);
    `due_on` the due date it answers (a reminder per due date), or None.
    """
    due = due_on.isoformat() if isinstance(due_on, date) else (due_on or "")
    parts = [kind, about or "", due, recipient.strip().lower()]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{kind}-{digest}"


def message_id(key: str, mailbox: str) -> str:
    """`<key@domain-of-the-mailbox>` (`jumelage.local` when the mailbox has no domain)."""
    domain = mailbox.rpartition("@")[2].strip().lower() or "jumelage.local"
    return f"<{key}@{domain}>"
