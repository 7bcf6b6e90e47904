"""Read one raw message from the mailbox into what recognising it needs, never raising.

Mail from the outside is anything: broken MIME, unknown charsets, huge bodies, HTML only,
headers that lie. Parsing uses the lenient `compat32` policy, decodes what it can with
replacement characters, caps what it reads, and keeps the headers a decision rests on:
From, Message-ID, In-Reply-To/References, the RFC 3834 auto-reply headers and, for a delivery
status notification, the failed recipient and the Message-ID of the original.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from jumelage.mail_in.text import fold, strip_quoted

#: No answer needs more: a bigger part is read up to this many characters.
MAX_TEXT = 100_000
MAX_PARTS = 200
_ID = re.compile(r"<[^<>\s]{1,500}>")
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+$")


@dataclass
class Inbound:
    key: str  # the Message-ID, else sha256 of the raw message
    message_id: str | None
    sender: str | None  # From: address, lower-cased, None when not an address
    subject: str
    received_at: datetime | None  # naive UTC
    references: list[str]  # In-Reply-To and References, in that order
    auto_reply: bool
    bounce: bool
    failed_recipients: list[str] = field(default_factory=list)
    original_ids: list[str] = field(default_factory=list)  # a bounce's original message
    text: str = ""  # the body as text, whole
    new_text: str = ""  # the reply's own text: quoted original and signature removed


def _header(msg: Message, name: str) -> str:
    """A header decoded to text (RFC 2047), '' when absent or undecodable; no line breaks."""
    try:
        raw = msg.get(name)
        if raw is None:
            return ""
        parts = email.header.decode_header(str(raw))
        text = ""
        for chunk, charset in parts:
            if isinstance(chunk, bytes):
                text += _decode(chunk, charset)
            else:
                text += chunk
    except Exception:  # a header that lies about its encoding still gives its raw text
        text = str(msg.get(name, "") or "")
    return " ".join(text.split())[:2000]


def _decode(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except (LookupError, TypeError):  # unknown charset: UTF-8, else Latin-1 never fails
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _payload_text(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        raw = part.get_payload()
        return raw[:MAX_TEXT] if isinstance(raw, str) else ""
    return _decode(data[: MAX_TEXT * 4], part.get_content_charset())[:MAX_TEXT]


_BLOCKQUOTE = re.compile(r"<blockquote\b.*?(</blockquote\s*>|$)", re.I | re.S)
_OUTLOOK_QUOTE = re.compile(
    r"<(div|hr)\b[^>]*(id=\"?(divRplyFwdMsg|appendonsend)|class=\"?gmail_quote)[^>]*>.*",
    re.I | re.S,
)
_DROP = re.compile(r"<(script|style|head|title)\b.*?(</\1\s*>|$)", re.I | re.S)
_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d|p|div|li|tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,2000}>")


def html_to_text(markup: str) -> str:
    """The visible text of an HTML body, without what mail clients mark as the quote."""
    markup = _OUTLOOK_QUOTE.sub("", _BLOCKQUOTE.sub("", _DROP.sub("", markup)))
    text = _TAG.sub("", _BREAK.sub("\n", markup))
    return html.unescape(text)


def _walk(msg: Message) -> list[Message]:
    parts: list[Message] = []
    try:
        for part in msg.walk():
            parts.append(part)
            if len(parts) >= MAX_PARTS:
                break
    except Exception:
        pass
    return parts


def _body(parts: list[Message]) -> str:
    """The first text/plain part that is not an attachment, else the first text/html one."""
    plain = markup = None
    for part in parts:
        try:
            ctype = part.get_content_type()
            disposition = (part.get("Content-Disposition") or "").lower()
        except Exception:
            continue
        if disposition.startswith("attachment"):
            continue
        if ctype == "text/plain" and plain is None:
            plain = _payload_text(part)
        elif ctype == "text/html" and markup is None:
            markup = _payload_text(part)
        elif ctype in ("message/rfc822", "message/delivery-status", "text/rfc822-headers"):
            break  # what follows is the original a notification carries, not the reply
    if plain is not None and plain.strip():
        return plain
    return html_to_text(markup) if markup else (plain or "")


def _ids(text: str) -> list[str]:
    return [m.lower() for m in _ID.findall(text)]


def address(value: str) -> str | None:
    """The address of a From: header, lower-cased, or None when it has none."""
    try:
        _, addr = email.utils.parseaddr(value)
    except Exception:
        return None
    addr = addr.strip().lower()
    return addr if _ADDRESS.match(addr) and len(addr) <= 254 else None


def _date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def _auto_reply(msg: Message, subject: str, auto_subjects: list[str]) -> bool:
    """RFC 3834 and the headers of common mail servers, else the subject's words."""
    submitted = _header(msg, "Auto-Submitted").lower()
    if submitted and submitted != "no":
        return True
    if any(_header(msg, h) for h in ("X-Autoreply", "X-Autorespond", "X-Auto-Response")):
        return True
    if _header(msg, "Precedence").lower() in ("auto_reply", "bulk", "junk"):
        return True
    folded = fold(subject)
    return any(folded.startswith(s) for s in auto_subjects)


def _bounce(msg: Message, parts: list[Message], sender: str | None) -> tuple[bool, list, list]:
    """A delivery status notification: (is one, failed recipients, original Message-IDs)."""
    try:
        report = msg.get_content_type() == "multipart/report" and (
            (msg.get_param("report-type") or "").lower() == "delivery-status"
        )
    except Exception:
        report = False
    daemon = bool(sender) and sender.split("@")[0] in ("mailer-daemon", "postmaster")
    if not (report or daemon):
        return False, [], []
    failed: list[str] = []
    originals: list[str] = []
    for part in parts:
        try:
            ctype = part.get_content_type()
        except Exception:
            continue
        if ctype == "message/delivery-status":
            text = _status_text(part)
            for line in text.splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() in ("final-recipient", "original-recipient"):
                    found = address(value.rpartition(";")[2].strip())
                    if found and found not in failed:
                        failed.append(found)
        elif ctype in ("text/rfc822-headers", "message/rfc822"):
            text = _status_text(part)
            for line in text.splitlines():
                if line.lower().startswith("message-id:"):
                    originals += _ids(line)
    return True, failed, originals


def _status_text(part: Message) -> str:
    """A delivery-status or attached-headers part as text (the parser may have made it
    sub-messages)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(str(p) for p in payload[:20])[:MAX_TEXT]
    return _payload_text(part)


def parse(raw: bytes, auto_subjects: list[str], quoted: dict[str, Any]) -> Inbound:
    """Whatever the bytes, an `Inbound` (undecodable parts become empty text)."""
    msg = email.message_from_bytes(raw[: MAX_TEXT * 20])
    message_id = next(iter(_ids(_header(msg, "Message-ID"))), None)
    key = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    sender = address(_header(msg, "From"))
    subject = _header(msg, "Subject")[:500]
    parts = _walk(msg)
    bounce, failed, originals = _bounce(msg, parts, sender)
    text = _body(parts)
    return Inbound(
        key=key,
        message_id=message_id,
        sender=sender,
        subject=subject,
        received_at=_date(_header(msg, "Date")),
        references=_ids(_header(msg, "In-Reply-To")) + _ids(_header(msg, "References")),
        auto_reply=not bounce and _auto_reply(msg, subject, auto_subjects),
        bounce=bounce,
        failed_recipients=failed,
        original_ids=originals,
        text=text,
        new_text=strip_quoted(text, quoted),
    )
