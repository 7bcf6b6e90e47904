-- Santé du programme: how long mentees wait for a first proposal and pairs for a first
-- meeting, the reviews done of those due, and the relationships that ended before their
-- planned end, as of $run_date.
-- reads: health/mentee_outcomes
with
waits as (
    select
        median(first_proposal_on - first_seen_on) as median_days_to_proposal,
        median(days_to_first_meeting) as median_days_to_first_meeting
    from mentee_outcomes
),

reviews as (
    select
        count(*) filter (where midpoint_on <= $run_date) as midpoint_due,
        count(*) filter (
            where midpoint_on <= $run_date and midpoint_review_on is not null
        ) as midpoint_done,
        count(*) filter (where planned_end_on <= $run_date) as final_due,
        count(*) filter (
            where planned_end_on <= $run_date and final_review_on is not null
        ) as final_done,
        count(*) filter (where ended_on <= $run_date) as ended,
        count(*) filter (
            where ended_on <= $run_date and ended_on < planned_end_on
        ) as ended_early
    from relationships
    where started_on <= $run_date
),

final as (
    select
        w.median_days_to_proposal,
        w.median_days_to_first_meeting,
        r.midpoint_due,
        r.midpoint_done,
        r.final_due,
        r.final_done,
        r.ended,
        r.ended_early
    from waits as w
    cross join reviews as r
)

select * from final
