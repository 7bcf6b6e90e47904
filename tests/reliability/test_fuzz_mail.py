"""Bad mail, the fast slice: ~200 generated messages through a real IMAP server and the
`mail_in` stage, without a traceback, each message accounted for once.

The 10,000-message campaign: `python -m tests.reliability.mail_fuzz_campaign` (`make fuzz`).
"""

from __future__ import annotations

import os
import random

from .mail_fuzzing import SHAPES, campaign

MESSAGES = int(os.environ.get("JUMELAGE_MAIL_FUZZ_MESSAGES", "200"))


def test_malformed_messages(tmp_path):
    seed = int(os.environ.get("JUMELAGE_FUZZ_SEED", random.randrange(1_000_000)))
    print(f"JUMELAGE_FUZZ_SEED={seed}")
    tally = campaign(tmp_path, MESSAGES, seed, batch=100)
    assert tally.tracebacks == []
    assert tally.violations == []
    assert tally.delivered == MESSAGES
    # read = applied (an answer recorded as its event) + to check + auto-replies + bounces,
    # by the stage's count and by the warehouse's rows alike
    assert sum(tally.outcomes.values()) == MESSAGES
    assert tally.recorded == tally.outcomes
    # every family was generated: forged senders, broken MIME, charsets, huge, nested, ...
    assert set(tally.shapes) == set(SHAPES), tally.shapes
    # every path exercised
    assert {"recorded", "to_check", "auto_reply", "bounced"} <= set(tally.outcomes), tally.outcomes
