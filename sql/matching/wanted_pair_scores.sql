-- wanted_pair_scores: the score and its components of some pairs (`wanted_pairs`, given by
-- Python: tonight's chosen pairs), so that a proposal shows why this mentor.
-- reads: matching/scored_pairs
select scored_pairs.*
from scored_pairs
semi join wanted_pairs using (mentee_id, mentor_id)
order by mentee_id, mentor_id
