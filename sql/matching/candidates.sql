-- candidates: one pass over the scored pairs, per waiting mentee: how many mentors are
-- eligible, how many qualify (score >= min_score), and its best $top_k + 1 qualifying mentors.
-- A pair is packed in one sortable key ($score_scale - score_units) * $mentor_slots +
-- mentor_id: the smallest keys are the best scores, then the lowest id, i.e. the solver's
-- canonical edge order. `min(key, n)` keeps a small heap per mentee, so that the qualifying
-- pairs (hundreds of millions in a national, virtual program) are never all held. The pair
-- after a mentee's first $top_k bounds every pair left out, for the optimality certificate
-- (certificate_violations.sql scans again only the mentees that bound does not settle).
-- Grouped by mentee only: grouping sets (mentee, mentor) over the same pass cost DuckDB
-- about four passes; mentor_candidates.sql does the mentors that need it, over their pairs.
-- reads: matching/scored_pairs
select
    mentee_id,
    count(*) as eligible,
    count(*) filter (where qualifies) as qualifying,
    coalesce(
        min(($score_scale - score_units)::bigint * $mentor_slots + mentor_id, $top_k + 1)
        filter (where qualifies),
        []
    ) as edge_keys
from scored_pairs
group by mentee_id
order by mentee_id
