-- excluded_pairs: pool pairs ruled out by who they are rather than by their profiles, as ids (cheap
-- to anti-join against millions of candidate pairs): the same person in both roles, a hierarchical
-- link (linked_pairs), or a pair blocked for ever (blocked_pairs).
-- reads: matching/waiting_mentees, matching/available_mentors, matching/linked_pairs
-- reads: rules/blocked_pairs
with
same_person as (
    select e.mentee_id, r.mentor_id, 'same_person' as why
    from waiting_mentees as e inner join available_mentors as r on r.email = e.email
),

hierarchical as (
    select e.mentee_id, r.mentor_id, 'hierarchy' as why
    from linked_pairs as l
    inner join waiting_mentees as e on e.email = l.a
    inner join available_mentors as r on r.email = l.b
),

blocked as (
    select e.mentee_id, r.mentor_id, b.why
    from blocked_pairs as b
    inner join waiting_mentees as e on e.email = b.mentee_email
    inner join available_mentors as r on r.email = b.mentor_email
)

select * from same_person
union all
select * from hierarchical
union all
select * from blocked
