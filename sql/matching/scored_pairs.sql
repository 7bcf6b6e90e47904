-- scored_pairs: every eligible pair scored (SPEC §5): each component in [0, 1], then the weighted
-- sum (weights normalized to sum to 1). Overlaps are bit counts of the tag bitmasks. score_units is
-- the integer score the solver optimizes (units of 1e-9, rounded to the nearest: scores more than
-- 1e-9 apart never get the same units); whether a pair qualifies is decided on the exact score.
-- Run on hundreds of millions of pairs: one projection, few branches (a count divided by
-- greatest(n, 1) is the 0 of "nothing to share" without a case).
-- reads: matching/eligible_pairs
with
components as (
    select
        mentee_id,
        mentor_id,
        -- share of the mentee's goals the mentor can work on
        bit_count(goals_mask & competencies_mask) / goals_count as goals,
        -- Jaccard of interests: a mentor listing everything is not favored
        bit_count(mentee_interests & mentor_interests)
        / greatest(bit_count(mentee_interests | mentor_interests), 1) as interests,
        -- the mentor should be ahead by about $ideal_gap years, the gap clamped to
        -- [0, $ideal_gap]; unknown on a side (null gap): neutral. Clamped with integer
        -- arithmetic, exact (max(x, 0) = (x + |x|) / 2, min(x, g) = (x + g - |x - g|) / 2):
        -- DuckDB's greatest and least cost more than the rest of this score
        coalesce(
            (
                ahead + $ideal_gap - abs(ahead - $ideal_gap)
            ) // 2 / $ideal_gap,
            0.5
        ) as experience,
        -- share of the mentee's slots the mentor has too; no slots given: neutral
        case when mentee_slot_count = 0 or mentor_slot_count = 0 then 0.5
            else bit_count(mentee_slots & mentor_slots) / mentee_slot_count
        end as availability,
        (mentee_org <> mentor_org)::double as cross_organization,
        -- the mentee's own wish, decaying with its rank: 1, 1/2, 1/3, ... (preferences.sql)
        preference
    from (
        select
            *,
            (mentor_years - mentee_years + abs(mentor_years - mentee_years)) // 2 as ahead
        from eligible_pairs
    ) as pairs
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
