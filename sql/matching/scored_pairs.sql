-- scored_pairs: every eligible pair scored (SPEC §5): each component in [0, 1], then the weighted
-- sum (weights normalized to sum to 1). Overlaps are bit counts of the tag bitmasks. score_units is
-- the integer score the solver optimizes (units of 1e-9, rounded to the nearest: scores more than
-- 1e-9 apart never get the same units); whether a pair qualifies is decided on the exact score.
-- Run on hundreds of millions of pairs: one projection with no null and no branch. What
-- depends on one person alone comes computed once a person (eligible_pairs.sql), so that each
-- component costs a pair few vector operations, and each component is the very number its
-- definition gives (the same double, not one rounded differently: the proofs below).
-- reads: matching/eligible_pairs
with
components as (
    select
        mentee_id,
        mentor_id,
        -- share of the mentee's goals the mentor can work on (goals_count: at least 1)
        bit_count(goals_mask & competencies_mask) / goals_count as goals,
        -- Jaccard of interests: a mentor listing everything is not favored. The union's size
        -- is |A| + |B| - |A & B| (integers, exact); a mentee with none counts 1 (its
        -- intersections are empty: 0 / (1 + |B|) = 0, as 0 / greatest(|B|, 1))
        shared_interests
        / (mentee_interest_count + mentor_interest_count - shared_interests) as interests,
        -- the mentor should be ahead by about $ideal_gap years: the gap d clamped to [0, g],
        -- divided by g; unknown on a side: 0.5. clamp(d, 0, g) = (|d| - |d - g| + g) / 2
        -- (check d <= 0, d >= g, between), so with h = years_known_half (1/2 when both are
        -- known, 0 otherwise; unknown years count 0), (|d| - |d - g|) * h + g / 2 is the
        -- clamped gap, or g / 2 = 0.5 g when unknown: small integers, exact in doubles, then
        -- divided by g as the integer gap was
        (
            (abs(years_ahead) - abs(years_ahead - $ideal_gap)) * years_known_half
            + $ideal_gap / 2
        ) / $ideal_gap as experience,
        -- share of the mentee's slots the mentor has too; no slots on a side: neutral (0.5).
        -- With no slots the intersection is empty (0 / count = 0), and 0.5 - h (h = 1/2 when
        -- both have slots, 0 otherwise) adds 0.5 there and an exact 0 elsewhere
        bit_count(mentee_slots & mentor_slots) / mentee_slot_count
        + (0.5 - mentee_slots_half * mentor_has_slots) as availability,
        (mentee_org <> mentor_org)::double as cross_organization,
        -- the mentee's own wish, decaying with its rank: 1, 1/2, 1/3, ... (preferences.sql)
        preference
    from (
        select
            *,
            mentor_years - mentee_years as years_ahead,
            mentee_years_half * mentor_years_known as years_known_half,
            bit_count(mentee_interests & mentor_interests) as shared_interests
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
