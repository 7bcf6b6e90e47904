-- candidates: per waiting mentee, how many mentors are eligible, how many qualify (score >=
-- min_score), and every qualifying mentor with its integer score, packed in one sortable key
-- ($score_scale - score_units) * $mentor_slots + mentor_id, sorted: best score first, then lowest
-- mentor_id, i.e. the solver's canonical edge order. One row per mentee keeps the result compact;
-- sorting small lists per mentee is far cheaper than an ordered aggregate.
-- reads: matching/scored_pairs
select
    mentee_id,
    count(*) as eligible,
    count(*) filter (where qualifies) as qualifying,
    coalesce(
        list_sort(
            list(($score_scale - score_units)::bigint * $mentor_slots + mentor_id)
            filter (where qualifies)
        ),
        []
    ) as edge_keys
from scored_pairs
group by mentee_id
order by mentee_id
