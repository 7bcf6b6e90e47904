-- scored_pairs: every eligible pair scored (SPEC §5): each component in [0, 1], then the weighted sum
-- (weights normalized to sum to 1). Overlaps are bit counts of the tag bitmasks.
-- score_milli is the integer score the solver optimizes (thousandths, half up; the slack
-- keeps float noise such as 0.0374999... from rounding differently on another machine);
-- whether a pair qualifies is decided on the exact score.
-- reads: matching/eligible_pairs
with
tag_overlaps as (
    select
        p.*,
        bit_count(goals_mask)::double as n_goals,
        bit_count(goals_mask & competencies_mask)::double as n_goals_covered,
        bit_count(mentee_interests & mentor_interests)::double as n_shared_interests,
        bit_count(mentee_interests | mentor_interests)::double as n_any_interests,
        bit_count(mentee_slots)::double as n_mentee_slots,
        bit_count(mentor_slots)::double as n_mentor_slots,
        bit_count(mentee_slots & mentor_slots)::double as n_shared_slots
    from eligible_pairs as p
),
components as (
    select
        o.mentee_id,
        o.mentor_id,
        -- share of the mentee's goals the mentor can work on
        case when n_goals = 0 then 0.0 else n_goals_covered / n_goals end as goals,
        -- Jaccard of interests: a mentor listing everything is not favored
        case when n_any_interests = 0 then 0.0
             else n_shared_interests / n_any_interests end as interests,
        -- the mentor should be ahead by about $ideal_gap years; unknown on a side: neutral
        case when mentee_years is null or mentor_years is null then 0.5
             else least(greatest(mentor_years - mentee_years, 0), $ideal_gap) / $ideal_gap
        end as experience,
        -- share of the mentee's slots the mentor has too; no slots given: neutral
        case when n_mentee_slots = 0 or n_mentor_slots = 0 then 0.5
             else n_shared_slots / n_mentee_slots end as availability,
        case when cross_organization then 1.0 else 0.0 end as cross_organization,
        -- the mentee's own wish, decaying with its rank: 1, 1/2, 1/3, ... (preferences.sql)
        preference
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
    floor(score * $score_scale + 0.5 + $rounding_slack)::smallint as score_milli,
    score >= $min_score as qualifies
from weighted
