-- Per waiting mentee: how many mentors are eligible, how many qualify (score >= min_score),
-- and the $k best qualifying ones (score first, then mentor_id), each packed in one BIGINT
-- rank key so that DuckDB keeps a small top-k heap per mentee instead of materializing every
-- pair (hundreds of millions at 50,000 x 20,000). The solver's optimality certificate checks
-- the pairs left out (violations.sql).
with
ranked as (
    select
        mentee_id,
        qualifies,
        score_milli::bigint * $mentor_slots + ($mentor_slots - 1 - mentor_id) as rank_key
    from scored_pairs
)
select
    mentee_id,
    count(*) as eligible,
    count(*) filter (where qualifies) as qualifying,
    coalesce(max(rank_key, $k) filter (where qualifies), []) as best_keys
from ranked
group by mentee_id
