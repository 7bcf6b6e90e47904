-- scored_pairs: every eligible pair scored (SPEC §5): each component in [0, 1], then the weighted
-- sum (weights normalized to sum to 1). Overlaps are bit counts of the tag bitmasks. score_units is
-- the integer score the solver optimizes (units of 1e-9, rounded to the nearest: scores more than
-- 1e-9 apart never get the same units); whether a pair qualifies is decided on the exact score.
-- reads: matching/eligible_pairs
with
tag_overlaps as (
    select
        p.*,
        bit_count(p.goals_mask)::double as n_goals,
        bit_count(p.goals_mask & p.competencies_mask)::double as n_goals_covered,
        bit_count(p.mentee_interests & p.mentor_interests)::double as n_shared_interests,
        bit_count(p.mentee_interests | p.mentor_interests)::double as n_any_interests,
        bit_count(p.mentee_slots)::double as n_mentee_slots,
        bit_count(p.mentor_slots)::double as n_mentor_slots,
        bit_count(p.mentee_slots & p.mentor_slots)::double as n_shared_slots
    from eligible_pairs as p
),

components as (
    select
        o.mentee_id,
        o.mentor_id,
        -- share of the mentee's goals the mentor can work on
        case when o.n_goals = 0 then 0.0 else o.n_goals_covered / o.n_goals end as goals,
        -- Jaccard of interests: a mentor listing everything is not favored
        case when o.n_any_interests = 0 then 0.0
            else o.n_shared_interests / o.n_any_interests
        end as interests,
        -- the mentor should be ahead by about $ideal_gap years; unknown on a side: neutral
        case when o.mentee_years is null or o.mentor_years is null then 0.5
            else least(greatest(o.mentor_years - o.mentee_years, 0), $ideal_gap) / $ideal_gap
        end as experience,
        -- share of the mentee's slots the mentor has too; no slots given: neutral
        case when o.n_mentee_slots = 0 or o.n_mentor_slots = 0 then 0.5
            else o.n_shared_slots / o.n_mentee_slots
        end as availability,
        case when cross_organization then 1.0 else 0.0 end as cross_organization,
        -- the mentee's own wish, decaying with its rank: 1, 1/2, 1/3, ... (preferences.sql)
        o.preference
    from tag_overlaps as o
),

weighted as (
    select
        *,
        $w_goals * goals
        + $w_interests * interests
        + $w_experience * experience
        + $w_availability * availability
        + $w_cross_organization * cross_organization
        + $w_preference * preference as score
    from components
)

select
    *,
    round(score * $score_scale)::integer as score_units,
    score >= $min_score as qualifies
from weighted
