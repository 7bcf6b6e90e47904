-- erase: `jumelage forget`. Messages to $email (lower-cased) keep their place in the outbox
-- under the pseudonym $pseudonym, without cc, subject ($erased) or bodies.
update emails
set
    recipient = $pseudonym,
    cc = null,
    subject = $erased,
    body_text = '',
    body_html = '',
    inline_images = null
where lower(recipient) = $email
