-- 007: mentees_waiting, the participants rows of mentees waiting for a proposal (SPEC §4):
-- active, no active relationship, no pending proposal. Shared by matching (the pool) and the
-- report (le bassin), so that both count the same people.
create or replace view mentees_waiting as
with
in_relationship as (
    select distinct mentee_email as email from relationships where status = 'active'
),

with_pending_proposal as (
    select distinct mentee_email as email
    from proposals
    where status in ('pending_approval', 'proposed')
)

select participants.*
from participants
where participants.role = 'mentee'
    and participants.status = 'active'
    and participants.email not in (select email from in_relationship)
    and participants.email not in (select email from with_pending_proposal);
