-- requesting_mentees: waiting mentees with at least one pair requested by the committee
-- (pair_requested), whose requested pairs are scored before the optimization.
-- reads: matching/waiting_mentees
with
requested as (
    select distinct mentee_email from pair_rules
    where rule = 'requested'
)

select distinct waiting_mentees.mentee_id
from waiting_mentees
inner join requested on requested.mentee_email = waiting_mentees.email
order by 1
