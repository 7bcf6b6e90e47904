-- Qualifying pairs left out of the solver that could still improve tonight's assignment:
-- by LP duality the solution is optimal over every pair iff no pair has a value above the
-- sum of its mentee's and its mentor's dual prices. In integers, with
-- value = scale * score_milli + (count premium + waiting weight, folded into threshold):
-- a pair violates when scale * score_milli > threshold(mentee) + price(mentor).
select s.mentee_id, s.mentor_id, s.score_milli
from scored_pairs as s
join m_mentee_prices as e using (mentee_id)
join m_mentor_prices as r using (mentor_id)
where s.qualifies
  and $scale::hugeint * s.score_milli > e.threshold::hugeint + r.price::hugeint
