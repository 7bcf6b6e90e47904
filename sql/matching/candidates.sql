-- candidates: one pass over the scored pairs, aggregated two ways at once (grouping sets):
-- per waiting mentee (mentor_id null), how many mentors are eligible, how many qualify
-- (score >= min_score), and its best $top_k + 1 qualifying mentors; per available mentor
-- (mentee_id null), its best $mentor_k qualifying mentees, so that a mentor nobody ranks
-- first still reaches the solver. A pair is packed in one sortable key
-- ($score_scale - score_units) * $mentor_slots + the other side's id: the smallest keys are
-- the best scores, then the lowest id, i.e. the solver's canonical edge order. `min(key, n)`
-- keeps a small heap per group, so that the qualifying pairs (hundreds of millions in a
-- national, virtual program) are never all held. The pair after a mentee's first $top_k
-- bounds every pair left out, for the optimality certificate (certificate_violations.sql
-- scans again only the mentees that bound does not settle).
-- reads: matching/scored_pairs
select
    mentee_id,
    mentor_id,
    count(*) as eligible,
    count(*) filter (where qualifies) as qualifying,
    coalesce(
        min(($score_scale - score_units)::bigint * $mentor_slots + mentor_id, $top_k + 1)
        filter (where qualifies),
        []
    ) as edge_keys,
    coalesce(
        min(($score_scale - score_units)::bigint * $mentor_slots + mentee_id, $mentor_k)
        filter (where qualifies),
        []
    ) as mentee_keys
from scored_pairs
group by grouping sets ((mentee_id), (mentor_id))
order by mentee_id, mentor_id
