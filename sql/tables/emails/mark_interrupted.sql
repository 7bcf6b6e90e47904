-- mark_interrupted: at start-up, `sending` -> `uncertain`. The process that claimed the
-- message died during its SMTP transaction: the server may have it, so it is never sent
-- again without a coordinator's word (jumelage emails resend).
update emails
set
    status = 'uncertain',
    last_error = 'interrupted while sending (started '
    || coalesce(strftime(sending_started_at, '%Y-%m-%d %H:%M:%S'), '?')
    || ' UTC): the server may or may not have received it; resend with: '
    || 'jumelage emails resend '
    || email_key
where status = 'sending'
