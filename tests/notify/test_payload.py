"""The DATA payload: CRLF line ends and dot-stuffing (RFC 5321 4.5.2), whatever the input."""

from __future__ import annotations

import random

from jumelage.notify.send import _data_payload


def reference(message: bytes) -> bytes:
    """Line by line: every line end becomes CRLF, a line starting with a dot gets another."""
    lines, line, i = [], b"", 0
    while i < len(message):
        if message[i : i + 2] == b"\r\n":
            lines.append(line)
            line, i = b"", i + 2
        elif message[i : i + 1] in (b"\r", b"\n"):
            lines.append(line)
            line, i = b"", i + 1
        else:
            line, i = line + message[i : i + 1], i + 1
    ended = line == b"" and message != b""  # ended with a line end (empty: one empty line)
    if not ended:
        lines.append(line)
    body = b"".join((b"." + x if x.startswith(b".") else x) + b"\r\n" for x in lines)
    return body + b".\r\n"


def test_payload_matches_the_rules_on_random_messages() -> None:
    rng = random.Random(5321)
    pieces = [b"a", b".", b"\r", b"\n", b"\r\n", b" ", b"..", b"\xc3\xa9"]
    for _ in range(20_000):
        message = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert _data_payload(message) == reference(message), message
