-- Le bassin: mentees waiting for a proposal after tonight's matching (active, no active
-- relationship, no pending proposal; as in matching/waiting_mentees.sql), for how long, and
-- why tonight's matching left them without a proposal (table `unmatched`).
with
in_relationship as (
    select distinct mentee_email as email from relationships where status = 'active'
),
with_pending_proposal as (
    select distinct mentee_email as email
    from proposals
    where status in ('pending_approval', 'proposed')
),
waiting as (
    select p.*
    from participants as p
    where p.role = 'mentee'
      and p.status = 'active'
      and p.email not in (select email from in_relationship)
      and p.email not in (select email from with_pending_proposal)
),
tonight_unmatched as (
    select mentee_email, reason, detail from unmatched where run_date = $run_date
)
select
    w.email,
    concat_ws(' ', w.first_name, w.last_name) as name,
    w.organization,
    w.management_level,
    w.language,
    w.first_seen_on,
    greatest(($run_date::date - w.first_seen_on), 0)::integer as days_waiting,
    u.reason,
    u.detail
from waiting as w
left join tonight_unmatched as u on u.mentee_email = w.email
order by days_waiting desc, w.email
