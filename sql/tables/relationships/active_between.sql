-- active_between: the active relationships between two people, whichever is the mentee.
-- $email, $counterpart_email.
select *
from relationships
where status = 'active'
    and (
        (mentee_email = $email and mentor_email = $counterpart_email)
        or (mentee_email = $counterpart_email and mentor_email = $email)
    )
order by started_on desc
