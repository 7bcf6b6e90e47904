-- preferences: the mentee's stated preference for each mentor of the pool it named, decaying with
-- rank (first wish 1, second 1/2, ...); a mentor named twice keeps its best rank.
-- reads: matching/waiting_mentees, matching/available_mentors
with
wishes as (
    select
        mentee_id,
        unnest(preferred_mentors) as mentor_email,
        unnest(generate_series(1, len(preferred_mentors))) as wish_rank
    from waiting_mentees
)

select w.mentee_id, r.mentor_id, 1.0 / min(w.wish_rank) as preference
from wishes as w
inner join available_mentors as r on r.email = lower(trim(w.mentor_email))
group by all
