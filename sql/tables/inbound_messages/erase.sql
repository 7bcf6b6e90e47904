-- erase: `jumelage forget` of $email: the messages they sent keep their place and outcome,
-- without what they said.
update inbound_messages
set sender = $pseudonym, subject = null, first_lines = null
where sender = $email
