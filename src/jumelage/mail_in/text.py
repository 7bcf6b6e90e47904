"""Text of a reply: folded for matching, cut before the quoted original and the signature."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NON_WORD = re.compile(r"[^a-z0-9@]+")


def fold(text: str) -> str:
    """Lower case, no accents, every run of punctuation or space one space."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


def _starts_quote(line: str, folded: str, quoted: dict[str, Any]) -> bool:
    stripped = line.strip().lower()
    if stripped.startswith(">"):
        return True
    if any(stripped.startswith(marker) for marker in quoted["lines"]):
        return True
    if line.rstrip().endswith(":") and any(folded.endswith(e) for e in quoted["attribution_ends"]):
        return True
    # Outlook: "De : Name <a@b>" / "From: ..." starts the original's header block
    head = folded.split(" ", 1)[0] if folded else ""
    return head in quoted["header_starts"] and ":" in line and "@" in line


def strip_quoted(text: str, quoted: dict[str, Any]) -> str:
    """The reply's own lines: up to the first quote marker or the signature line ('-- ')."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line in ("-- ", "--") or _starts_quote(line, fold(line), quoted):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def first_lines(text: str, lines: int = 5, width: int = 400) -> str:
    """What a coordinator reads to judge a message: its first non-empty lines, short."""
    found = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return "\n".join(found[:lines])[:width]
