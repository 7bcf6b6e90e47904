-- For each waiting mentee left without a proposal (m_unmatched), how many active mentors
-- survive each hard constraint of SPEC §4 taken in turn; the first stage that reaches zero is
-- the reason given to coordinators. Capacity is the last stage: "all compatible mentors full".
with
unmatched_mentees as (
    select e.* from m_mentees as e semi join m_unmatched as u using (mentee_id)
),
active_mentors as (
    select
        p.email,
        p.management_level,
        p.meeting_mode,
        lower(trim(coalesce(p.region, ''))) as region_key,
        (case when p.language like '%fr%' then 1 else 0 end
            + case when p.language like '%en%' then 2 else 0 end)::utinyint as language_mask,
        coalesce(r.free_capacity, 0) as free_capacity
    from participants as p
    left join m_mentors as r using (email)
    where p.role = 'mentor' and p.status = 'active'
),
pairs as (
    select
        e.mentee_id,
        e.email as mentee_email,
        r.email as mentor_email,
        (e.language_mask & r.language_mask) <> 0 as shares_language,
        (e.meeting_mode <> 'in_person' and r.meeting_mode <> 'in_person')
            or (e.meeting_mode in ('in_person', 'both') and r.meeting_mode in ('in_person', 'both')
                and e.region_key <> '' and e.region_key = r.region_key) as compatible_mode,
        r.management_level >= e.management_level + $min_level_gap as sufficient_level,
        r.free_capacity > 0 as has_capacity
    from unmatched_mentees as e
    cross join active_mentors as r
    where e.email <> r.email
),
blocked as (
    select distinct mentee_email, mentor_email from m_blocked
),
flagged as (
    select
        p.*,
        l.a is not null as linked,
        b.mentee_email is not null as was_blocked
    from pairs as p
    left join m_links as l on l.a = p.mentee_email and l.b = p.mentor_email
    left join blocked as b
        on b.mentee_email = p.mentee_email and b.mentor_email = p.mentor_email
),
stages as (
    select
        mentee_id,
        shares_language as s1,
        s1 and compatible_mode as s2,
        s2 and sufficient_level as s3,
        s3 and not linked as s4,
        s4 and not was_blocked as s5,
        s5 and has_capacity as s6
    from flagged
)
select
    u.mentee_id,
    u.email as mentee_email,
    u.first_seen_on as waiting_since,
    u.management_level,
    count(s.mentee_id) as active_mentors,
    count(*) filter (where s.s1) as sharing_language,
    count(*) filter (where s.s2) as compatible_mode,
    count(*) filter (where s.s3) as sufficient_level,
    count(*) filter (where s.s4) as without_hierarchical_link,
    count(*) filter (where s.s5) as never_declined_or_excluded,
    count(*) filter (where s.s6) as with_free_capacity
from unmatched_mentees as u
left join stages as s using (mentee_id)
group by all
order by u.mentee_id
