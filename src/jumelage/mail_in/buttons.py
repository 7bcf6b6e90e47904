"""The one-click answers of an email: `mailto:` links to the program mailbox.

No web link: link scanners (Outlook Safe Links and the like) open every web link of a
message before its reader does, but they never send mail. Each button opens a new message to
the program mailbox whose subject names the proposal or relationship, the answer in words,
and the signed marker `[JM <id> <answer> <token>]` that `jumelage.mail_in` checks. Without
`[mailbox_in]` (nobody reads the answers) or without the secret, there are no buttons.
"""

from __future__ import annotations

from urllib.parse import quote

from jumelage.config import Config
from jumelage.mail_in import token
from jumelage.mail_in.recognise import BUTTONS
from jumelage.words import say


def answer_buttons(config: Config, kind: str, about: str | None, to: str, lang: str) -> list[dict]:
    """[{code, label, subject, href}] for an email of `kind` about `about` sent to `to`."""
    if config.mailbox_in is None or not about or kind not in BUTTONS:
        return []
    key = token.secret()
    if key is None:
        return []
    buttons = []
    for code in BUTTONS[kind]:
        label = say(lang, "answer_button", code)
        subject = say(lang, "answer_mail", "subject", ref=about, label=label)
        subject = f"{subject} {token.marker(key, about, code, to)}"
        body = say(lang, "answer_mail", "body", label=label)
        href = f"mailto:{config.program.mailbox}?subject={quote(subject)}&body={quote(body)}"
        buttons.append({"code": code, "label": label, "subject": subject, "href": href})
    return buttons
