-- erase: `jumelage forget`. The active relationships of a person whose data is erased end on
-- $day with the reason $end_reason. $email: the address, lower-cased.
update relationships
set status = 'ended', ended_on = $day::date, end_reason = $end_reason
where (lower(mentee_email) = $email or lower(mentor_email) = $email)
    and status = 'active'
