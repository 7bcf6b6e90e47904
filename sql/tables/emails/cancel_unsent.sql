-- cancel_unsent: `jumelage forget`. Messages to $email (lower-cased), as recipient or in cc,
-- not sent yet are cancelled: `failed`, never sent.
update emails
set status = 'failed', last_error = 'cancelled: personal data erased'
where status in ('queued', 'sending')
    and (
        lower(recipient) = $email
        or list_contains(list_transform(coalesce(cc, []), lambda x: lower(x)), $email)
    )
