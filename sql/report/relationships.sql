-- Relations: every relationship with its state as of the run date: started or ended since the
-- previous run (or by an event applied tonight), and its open flags.
with
previous_run as (
    select coalesce(max(run_date), $run_date::date - 1) as ran_on
    from runs
    where run_date < $run_date
),

applied_tonight as (
    select event_type, email, counterpart_email, proposal_id
    from events
    where applied_on = $run_date
),

open_flags as (
    select relationship_id, list(distinct kind order by kind) as kinds
    from flags
    where run_date <= $run_date
        and (resolved_on is null or resolved_on > $run_date)
        and relationship_id is not null
    group by all
),

marked as (
    select
        r.*,
        (
            (
                r.started_on > (select previous_run.ran_on from previous_run)
                and r.started_on <= $run_date
            )
            or exists (
                select 1 from applied_tonight as a
                where a.event_type = 'proposal_accepted'
                    and (
                        a.proposal_id = r.proposal_id
                        or (a.email = r.mentee_email and a.counterpart_email = r.mentor_email)
                    )
            )
        ) as started_tonight,
        r.status = 'ended' and (
            (
                r.ended_on > (select previous_run.ran_on from previous_run)
                and r.ended_on <= $run_date
            )
            or exists (
                select 1 from applied_tonight as a
                where a.event_type = 'relationship_ended'
                    and r.mentee_email in (a.email, a.counterpart_email)
                    and r.mentor_email in (a.email, a.counterpart_email)
            )
        ) as ended_tonight
    from relationships as r
    where r.started_on <= $run_date
)

select
    m.relationship_id,
    m.status,
    m.mentee_email,
    e.name as mentee_name,
    m.mentor_email,
    t.name as mentor_name,
    m.started_on,
    m.planned_end_on,
    m.ended_on,
    m.end_reason,
    m.last_event_on,
    m.started_tonight,
    m.ended_tonight,
    coalesce(f.kinds, []) as open_flags
from marked as m
left join open_flags as f using (relationship_id)
left join participant_names as e on e.email = m.mentee_email and e.role = 'mentee'
left join participant_names as t on t.email = m.mentor_email and t.role = 'mentor'
order by m.status asc, m.started_on desc, m.relationship_id asc
