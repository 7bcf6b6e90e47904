"""Emails (SPEC §6): render, queue in the outbox, send exactly once over SMTP with yagmail.

How the flow uses it:

1. at start-up (under the data-dir lock): ``outbox.recover_interrupted(con)``;
2. inside the transaction of each state change that causes an email:
   ``outbox.enqueue(con, [compose(config, kind, ...), ...])``;
3. the notify stage: ``send.send_queued(con, config, run_date=...)``;
4. the report: ``outbox.counts(con, run_date)`` and ``outbox.list_emails(con, "uncertain")``.
"""

from jumelage.notify.compose import OutgoingEmail, compose, compose_both, proposal_context
from jumelage.notify.keys import email_key, message_id
from jumelage.notify.outbox import counts, enqueue, list_emails, recover_interrupted, resend
from jumelage.notify.render import KINDS, Rendered, language_for, render
from jumelage.notify.send import SendStats, send_queued

__all__ = [
    "KINDS",
    "OutgoingEmail",
    "Rendered",
    "SendStats",
    "compose",
    "compose_both",
    "counts",
    "email_key",
    "enqueue",
    "language_for",
    "list_emails",
    "message_id",
    "proposal_context",
    "recover_interrupted",
    "render",
    "resend",
    "send_queued",
]
