-- Propositions, chart: proposals made and accepted per week (weeks start on Monday), over the
-- 13 weeks ending with the run date.
with
weeks as (
    select unnest(generate_series(
        date_trunc('week', $run_date::date - 84)::date,
        date_trunc('week', $run_date::date)::date,
        interval 7 day
    ))::date as week
),

made as (
    select date_trunc('week', run_date)::date as week, count(*)::integer as n
    from proposals
    where run_date <= $run_date and status <> 'withdrawn'
    group by all
),

accepted as (
    select date_trunc('week', decided_on)::date as week, count(*)::integer as n
    from proposals
    where status = 'accepted' and decided_on <= $run_date
    group by all
)

select
    w.week,
    coalesce(m.n, 0)::integer as proposals,
    coalesce(a.n, 0)::integer as acceptances
from weeks as w
left join made as m using (week)
left join accepted as a using (week)
order by w.week
