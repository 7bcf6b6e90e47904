-- nearest_candidates: for each mentee left without a proposal, the $nearest_k mentors who come
-- closest, with what stands in the way of each (the rules of sql/rules/macros.sql, a full
-- mentor, a score under the minimum). Fewest obstacles first, then the best score. Pairs no
-- one can unblock (the same person, a hierarchical link, a pair declined, ended or excluded:
-- excluded_pairs) are left out. Obstacles are codes (jumelage.vocabulary.Obstacle); the
-- report says them in the reader's words.
-- reads: matching/scored_pairs, matching/excluded_pairs
with
pairs as (
    select
        s.mentee_id,
        e.email as mentee_email,
        r.email as mentor_email,
        s.score,
        r.management_level as mentor_level,
        e.management_level + $min_level_gap as level_needed,
        not shares_language(e.language_mask, r.language_mask) as no_shared_language,
        case
            when meeting_compatible(e.meeting_mode, e.region_key, r.meeting_mode, r.region_key)
                then null
            when e.meeting_mode <> 'virtual' and r.meeting_mode <> 'virtual' then 'other_region'
            when r.meeting_mode = 'virtual' then 'mentor_remote_only'
            else 'mentor_in_person_only'
        end as meeting_obstacle,
        not level_gap_kept(e.management_level, r.management_level, $min_level_gap)
            as level_short,
        r.free_capacity <= 0 as no_free_place,
        not s.qualifies as below_min_score
    from scored_pairs as s
    inner join waiting_mentees as e on e.mentee_id = s.mentee_id
    inner join available_mentors as r on r.mentor_id = s.mentor_id
    anti join excluded_pairs as x on x.mentee_id = s.mentee_id and x.mentor_id = s.mentor_id
),

counted as (
    select
        *,
        no_shared_language::integer
        + (meeting_obstacle is not null)::integer
        + level_short::integer
        + no_free_place::integer
        + below_min_score::integer as obstacles
    from pairs
),

nearest as (
    select
        mentee_email,
        min_by(
            struct_pack(
                mentor_email, score, obstacles, no_shared_language, meeting_obstacle,
                level_short, mentor_level, level_needed, no_free_place, below_min_score
            ),
            (obstacles, -score, mentor_email),
            $nearest_k
        ) as best
    from counted
    where obstacles > 0
    group by mentee_email
),

ranked as (
    select
        mentee_email,
        unnest(best) as candidate,
        unnest(range(1, len(best) + 1)) as candidate_rank
    from nearest
)

select
    r.mentee_email,
    r.candidate_rank,
    unnest(r.candidate) as candidate,
    concat_ws(' ', m.first_name, m.last_name) as mentor_name
from ranked as r
left join participants as m on m.email = r.candidate.mentor_email and m.role = 'mentor'
order by r.mentee_email, r.candidate_rank
