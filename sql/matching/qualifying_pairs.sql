-- qualifying_pairs: every qualifying pair of the pool with its integer score, for a pool
-- small enough that the solver takes them all (jumelage.matching.scoring.ALL_EDGES_UP_TO):
-- no pair is left out, so the certificate has nothing to scan.
-- reads: matching/scored_pairs
select mentee_id, mentor_id, score_units
from scored_pairs
where qualifies
