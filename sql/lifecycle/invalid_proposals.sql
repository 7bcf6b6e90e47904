-- invalid_proposals: pending proposals (pending_approval or proposed) that can no longer go
-- ahead, with the reason given to the mentee: a partner absent, withdrawn or removed by a
-- correction, a change that created a hierarchical link or broke the level gap, or a pair
-- the committee excluded. $min_level_gap: from the configuration.
with
pending as (
    select * from proposals where status in ('pending_approval', 'proposed')
),

with_people as (
    select
        pending.*,
        mentee.status as mentee_status,
        mentor.status as mentor_status,
        mentee.management_level as mentee_level,
        mentor.management_level as mentor_level
    from pending
    left join participants as mentee
        on mentee.email = pending.mentee_email and mentee.role = 'mentee'
    left join participants as mentor
        on mentor.email = pending.mentor_email and mentor.role = 'mentor'
),

reasons as (
    select
        *,
        case
            when mentee_status is null or mentor_status is null
                or 'removed' in (mentee_status, mentor_status) then 'correction'
            when 'withdrawn' in (mentee_status, mentor_status) then 'withdrawal'
            when 'absent' in (mentee_status, mentor_status) then 'absence'
            when exists (
                select 1 from hierarchy_links where a = mentee_email and b = mentor_email
            ) then 'change'
            when mentor_level < mentee_level + $min_level_gap then 'change'
            when exists (
                select 1 from pair_rules
                where rule = 'excluded'
                    and pair_rules.mentee_email = with_people.mentee_email
                    and pair_rules.mentor_email = with_people.mentor_email
            ) then 'other'
        end as reason
    from with_people
)

select
    *,
    case reason
        when 'correction' then 'inscription retirée ou corrigée'
        when 'withdrawal' then 'retrait du programme'
        when 'absence' then 'absence'
        when 'change' then 'changement d''organisation, de supérieur ou de niveau'
        else 'décision du comité'
    end as detail
from reasons
where reason is not null
order by proposal_id
