-- requested_pairs: eligible pairs the committee asked for (pair_requested): fixed before the
-- optimization, even below min_score. A pair that is also excluded is not eligible, hence absent.
-- reads: matching/scored_pairs, matching/waiting_mentees, matching/available_mentors
with
requested as (
    select distinct mentee_email, mentor_email from pair_rules
    where rule = 'requested'
)

select s.mentee_id, s.mentor_id, s.score_units, e.waiting_rank
from scored_pairs as s
inner join waiting_mentees as e using (mentee_id)
inner join available_mentors as r using (mentor_id)
inner join requested as q on q.mentee_email = e.email and q.mentor_email = r.email
order by e.waiting_rank asc, s.score_units desc, s.mentor_id asc
