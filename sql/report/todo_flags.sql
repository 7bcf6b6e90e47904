-- À traiter: flags raised on or before the run date and not resolved yet, with the names
-- of the two partners (a flag about a proposal has no relationship). A flag a coordinator
-- dismissed (`jumelage dismiss flag ID`) is left out.
with
dismissed_flags as (
    select item_id
    from dismissals
    where kind = 'flag'
),

open_flags as (
    select *
    from flags
    where run_date <= $run_date
        and (resolved_on is null or resolved_on > $run_date)
        and flag_id not in (select dismissed_flags.item_id from dismissed_flags)
)

select
    f.flag_id,
    f.kind,
    f.run_date as raised_on,
    f.due_on,
    ($run_date::date - coalesce(f.due_on, f.run_date))::integer as days_overdue,
    f.mentee_email,
    e.name as mentee_name,
    f.mentor_email,
    r.name as mentor_name,
    f.relationship_id,
    f.proposal_id,
    f.detail
from open_flags as f
left join participant_names as e on e.email = f.mentee_email and e.role = 'mentee'
left join participant_names as r on r.email = f.mentor_email and r.role = 'mentor'
order by
    case f.kind
        when 'conflict' then 0
        when 'no_response' then 1
        when 'first_meeting_overdue' then 2
        when 'final_review_due' then 3
        when 'midpoint_review_due' then 4
        when 'stale' then 5
        else 6
    end,
    f.due_on, f.flag_id
