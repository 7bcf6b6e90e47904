"""Answers by email: the program mailbox read over IMAP, its replies turned into events.

`imap` talks to the server, `parse` reads a raw message, `text` cuts the quoted original,
`recognise` finds the answer in words (`templates/words/answers.toml`), `token` signs and
checks the `mailto:` buttons' tokens, `buttons` makes those buttons for the emails, `decide`
applies the rules of authenticity, `inbound` owns `inbound_messages` (and the events it
gives), and `stage` is the night's `mail_in`.
"""
