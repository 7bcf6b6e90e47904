-- active_of: the active relationships of one person, as mentee or as mentor. $email.
select *
from relationships
where status = 'active'
    and (mentee_email = $email or mentor_email = $email)
order by started_on desc
