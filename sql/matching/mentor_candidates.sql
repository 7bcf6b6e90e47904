-- mentor_candidates: per available mentor in scope, its best $mentor_k qualifying mentees,
-- packed as in candidates.sql (($score_scale - score_units) * $mentor_slots + mentee_id), so
-- that a mentor no mentee ranks among its best still reaches the solver. Python scopes it
-- to the mentors the mentees' best pairs leave with fewer than $mentor_k edges: a pass over
-- their pairs only.
-- reads: matching/scored_pairs
select
    mentor_id,
    coalesce(
        min(($score_scale - score_units)::bigint * $mentor_slots + mentee_id, $mentor_k)
        filter (where qualifies),
        []
    ) as mentee_keys
from scored_pairs
group by mentor_id
order by mentor_id
