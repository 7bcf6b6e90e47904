-- Pool pairs ruled out by who they are rather than by their profiles, as ids (cheap to
-- anti-join against millions of candidate pairs): the same person in both roles, a
-- hierarchical link (m_links), or a pair blocked for ever (m_blocked).
with
same_person as (
    select e.mentee_id, r.mentor_id, 'same_person' as why
    from m_mentees as e join m_mentors as r on r.email = e.email
),
hierarchical as (
    select e.mentee_id, r.mentor_id, 'hierarchy' as why
    from m_links as l
    join m_mentees as e on e.email = l.a
    join m_mentors as r on r.email = l.b
),
blocked as (
    select e.mentee_id, r.mentor_id, b.why
    from m_blocked as b
    join m_mentees as e on e.email = b.mentee_email
    join m_mentors as r on r.email = b.mentor_email
)
select * from same_person
union all
select * from hierarchical
union all
select * from blocked
