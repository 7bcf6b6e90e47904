-- erase: `jumelage forget`. The pending proposals of a mentee whose data is erased are
-- withdrawn with the reason $status_reason on $day. $email: the address, lower-cased.
update proposals
set
    status = 'withdrawn',
    decided_on = $day::date,
    updated_on = $day::date,
    status_reason = $status_reason
where lower(mentee_email) = $email
    and status in ('pending_approval', 'proposed')
