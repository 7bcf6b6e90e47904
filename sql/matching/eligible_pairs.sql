-- eligible_pairs: every (mentee, mentor) pair of tonight's pool (in scope) that breaks no
-- hard constraint of SPEC §4 (`broken_rule`, sql/rules/macros.sql, the one definition),
-- with the features the scoring needs. Kept as a view: at 50,000 x 20,000 the pairs are
-- hundreds of millions of rows and are only ever aggregated.
--
-- broken_rule is not evaluated on each of those pairs: what it reads of one person alone
-- (status, languages, meeting mode, region, level) takes few distinct values, so people
-- are grouped in classes of equal values and broken_rule decides each pair of classes
-- once, with no pair-specific fact. The pairs that have one (same person, hierarchical
-- link, blocked: excluded_pairs.sql) are few, and broken_rule decides each of them again
-- with that fact. A pair is eligible when its classes are and its own facts break no rule:
-- exactly when broken_rule of the pair is null (tests/matching check against a cross join).
-- The big join is then one integer equi-join (mentee, its compatible mentor classes) x
-- mentors, carrying only the columns the scoring reads.
-- reads: matching/mentees_in_scope, matching/mentors_in_scope, matching/tag_masks,
-- reads: matching/excluded_pairs, matching/preferences
-- (AM07 off: sqlfluff cannot count the columns of `* exclude (...)` in the unions)
-- noqa: disable=AM07
with
organizations as (
    select org_key, dense_rank() over (order by org_key) as org_id
    from (
        select distinct lower(trim(organization)) as org_key from mentees_in_scope
        union
        select distinct lower(trim(organization)) as org_key from mentors_in_scope
    ) as pool_organizations
),

regions as (
    -- known regions only: an unknown one (null id) matches none
    select region_key, dense_rank() over (order by region_key) as region_id
    from (
        select region_key from mentees_in_scope
        union
        select region_key from mentors_in_scope
    ) as pool_regions
    where region_key is not null
),

-- both sides at once, each person with what broken_rule reads of one person and a class:
-- people of one side equal in all of that (nulls equal too)
pool_members as (
    select
        'mentee' as side, mentee_id as id, status, language_mask, meeting_mode, region_key,
        management_level, experience_years, organization, sees_up_to as scope_rank
    from mentees_in_scope
    union all
    select
        'mentor' as side, mentor_id as id, status, language_mask, meeting_mode, region_key,
        management_level, experience_years, organization, scope_rank
    from mentors_in_scope
),

member_profiles as (
    select
        m.* exclude (region_key, organization),  -- noqa: RF02, RF03
        g.region_id, o.org_id, k.skill_mask, k.interest_mask, k.slot_mask,
        dense_rank() over (
            partition by m.side
            order by m.status, m.language_mask, m.meeting_mode, g.region_id, m.management_level
        ) as class_id
    from pool_members as m
    inner join tag_masks as k on k.side = m.side and k.id = m.id
    inner join organizations as o on o.org_key = lower(trim(m.organization))
    left join regions as g on g.region_key = m.region_key
),

classes as (
    select distinct
        side, class_id, status, language_mask, meeting_mode, region_id, management_level
    from member_profiles
),

-- each side with the columns of a pair it brings, named as the pair needs them, and what
-- the score needs of one person alone computed once a person rather than once a pair, with
-- no nulls (scored_pairs.sql says why and what each one is)
mentees as (
    select
        id as mentee_id, class_id, scope_rank as sees_up_to, org_id::integer as mentee_org,
        skill_mask as goals_mask, interest_mask as mentee_interests, slot_mask as mentee_slots,
        greatest(bit_count(skill_mask), 1)::integer as goals_count,
        greatest(bit_count(interest_mask), 1)::integer as mentee_interest_count,
        greatest(bit_count(slot_mask), 1)::integer as mentee_slot_count,
        (case when bit_count(slot_mask) = 0 then 0 else 0.5 end)::double as mentee_slots_half,
        coalesce(experience_years, 0)::double as mentee_years,
        (case when experience_years is null then 0 else 0.5 end)::double as mentee_years_half
    from member_profiles
    where side = 'mentee'
),

mentors as (
    select
        id as mentor_id, class_id, scope_rank, id % 64 as bucket,
        (1::ubigint << (id % 64))::ubigint as bucket_bit, org_id::integer as mentor_org,
        skill_mask as competencies_mask, interest_mask as mentor_interests,
        slot_mask as mentor_slots,
        bit_count(interest_mask)::integer as mentor_interest_count,
        (bit_count(slot_mask) > 0)::double as mentor_has_slots,
        coalesce(experience_years, 0)::double as mentor_years,
        (experience_years is not null)::double as mentor_years_known
    from member_profiles
    where side = 'mentor'
),

-- the pairs of classes whose pairs break no rule, when nothing ties the two people
class_pairs as (
    select e.class_id as mentee_class, r.class_id as mentor_class
    from classes as e
    cross join classes as r
    where e.side = 'mentee' and r.side = 'mentor' and broken_rule(
            e.status, r.status, false,
            e.language_mask, r.language_mask,
            e.meeting_mode, e.region_id, r.meeting_mode, r.region_id,
            e.management_level, r.management_level, $min_level_gap,
            false, null
        ) is null
),

-- the few pairs something ties (excluded_pairs), each decided by broken_rule on itself
ruled_out as (
    select x.mentee_id, x.mentor_id
    from excluded_pairs as x
    inner join member_profiles as e on e.side = 'mentee' and e.id = x.mentee_id
    inner join member_profiles as r on r.side = 'mentor' and r.id = x.mentor_id
    where broken_rule(
            e.status, r.status, x.why = 'same_person',
            e.language_mask, r.language_mask,
            e.meeting_mode, e.region_id, r.meeting_mode, r.region_id,
            e.management_level, r.management_level, $min_level_gap,
            x.why = 'hierarchy',
            case when x.why in ('declined', 'relationship', 'excluded') then x.why end
        ) is not null
),

-- per pair with a fact: ruled out, and the mentee's wish for that mentor (preferences.sql)
pair_facts as (
    select
        mentee_id,
        mentor_id,
        bool_or(ruled) as ruled_out,
        coalesce(max(preference), 0.0) as preference
    from (
        select mentee_id, mentor_id, true as ruled, null as preference from ruled_out
        union all
        select mentee_id, mentor_id, false as ruled, preference from preferences
    ) as facts
    group by mentee_id, mentor_id
),

-- Joining every pair to pair_facts would cost a probe per pair (and DuckDB may build its
-- hash table on the pairs' side). Instead each mentor falls in one of 64 buckets (its id
-- mod 64) and each mentee carries the buckets of its facts' mentors as bits: a pair whose
-- bucket bit is clear has no fact (one AND per pair), and the few others are joined to
-- their facts in a small join of their own.
fact_buckets as (
    select distinct mentee_id, mentor_id % 64 as bucket from pair_facts
),

mentee_fact_bits as (
    select
        e.*,
        coalesce(bit_or((1::ubigint << b.bucket)::ubigint), 0::ubigint) as fact_bits
    from mentees as e
    left join fact_buckets as b on b.mentee_id = e.mentee_id
    group by all
),

-- pairs with no fact
plain_pairs as (
    select
        e.* exclude (class_id, sees_up_to, fact_bits),  -- noqa: RF02, RF03
        r.* exclude (class_id, scope_rank, bucket, bucket_bit),  -- noqa: RF02, RF03
        0.0 as preference
    from mentee_fact_bits as e
    inner join class_pairs as c on c.mentee_class = e.class_id
    inner join mentors as r on r.class_id = c.mentor_class and r.scope_rank <= e.sees_up_to
    where (e.fact_bits & r.bucket_bit) = 0
),

-- each mentee with a fact, once per bucket of its facts' mentors (materialized: joined
-- as one small table, never the mentee to all its pairs first)
fact_mentees as materialized (
    select e.*, b.bucket
    from fact_buckets as b
    inner join mentees as e on e.mentee_id = b.mentee_id
),

-- pairs whose mentor is in a bucket of the mentee's facts: few, joined to the facts
fact_pairs as (
    select
        e.* exclude (class_id, sees_up_to, bucket),  -- noqa: RF02, RF03
        r.* exclude (class_id, scope_rank, bucket, bucket_bit),  -- noqa: RF02, RF03
        coalesce(f.preference, 0.0) as preference
    from fact_mentees as e
    inner join class_pairs as c on c.mentee_class = e.class_id
    inner join mentors as r
        on r.class_id = c.mentor_class and r.bucket = e.bucket and r.scope_rank <= e.sees_up_to
    left join pair_facts as f on f.mentee_id = e.mentee_id and f.mentor_id = r.mentor_id
    where not coalesce(f.ruled_out, false)
)

select * from plain_pairs
union all by name
select * from fact_pairs
