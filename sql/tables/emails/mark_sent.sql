-- mark_sent: `sending` -> `sent`: the server said 250. $sent_at: now, UTC; $run_date: the run
-- date whose send stage delivered it (null outside a run); $smtp_response: the reply.
update emails
set
    status = 'sent',
    sent_at = $sent_at,
    sent_run_date = $run_date::date,
    smtp_response = $smtp_response,
    last_error = null
where email_key = $email_key
