-- certificate_violations: the optimality certificate over the pairs the solver was not given
-- (jumelage.matching.assignment): for the pairs in scope (each mentee with the mentors its
-- bounds do not settle, scoring.LeftOut.violations), every qualifying pair beyond the
-- mentee's best ones (its key above `last_key`, the last key given to the solver) whose
-- score reaches the dual prices: score_units >= threshold (mentee) + price (mentor). Such a
-- pair could improve the solution (or tie with it, for the waiting tie-break): it is held
-- and checked after every solve from then on. Pairs within $margin below the prices come
-- too: they do not break the certificate, but later prices may want them, and later scans
-- skip what this margin covered.
-- `certificate_mentees` and `certificate_mentors` are given by Python. One streaming pass.
-- reads: matching/scored_pairs
select s.mentee_id, s.mentor_id, s.score_units
from scored_pairs as s
inner join certificate_mentees as e on e.mentee_id = s.mentee_id
inner join certificate_mentors as r on r.mentor_id = s.mentor_id
where
    s.qualifies
    and ($score_scale - s.score_units)::bigint * $mentor_slots + s.mentor_id > e.last_key
    and s.score_units >= e.threshold + r.price - $margin
order by s.mentee_id asc, s.score_units desc, s.mentor_id asc
