-- Le bassin: mentees waiting for a proposal after tonight's matching (the `mentees_waiting`
-- view, as matching uses it), for how long, and
-- why tonight's matching left them without a proposal (table `unmatched`).
with
waiting as (
    select * from mentees_waiting
),

tonight_unmatched as (
    select mentee_email, reason, detail
    from unmatched
    where run_date = $run_date
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
order by days_waiting desc, w.email asc
