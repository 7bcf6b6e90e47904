-- mark_uncertain: `sending` -> `uncertain`: the link broke during DATA, the server may have
-- the message; never sent again without a coordinator's word. $last_error: why.
update emails
set status = 'uncertain', last_error = $last_error
where email_key = $email_key
