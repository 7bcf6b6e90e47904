-- resolve_unreachable: a person flagged unreachable after a bounce wrote to the program
-- mailbox ($email, an answer recorded on $run_date): their address works again.
update flags
set resolved_on = $run_date::date, resolved_by = 'answer_by_email'
where
    resolved_on is null
    and kind = 'unreachable'
    and (mentee_email = $email or mentor_email = $email)
