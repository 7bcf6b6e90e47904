-- blocked_pairs: pairs that must never be proposed again (SPEC §4): declined proposals, any
-- relationship (active or ended), and committee exclusions (pair_excluded,
-- proposal_rejected). `why` feeds the rules declined_or_ended and excluded.
select mentee_email, mentor_email, 'declined' as why
from proposals
where status = 'declined'
union
select mentee_email, mentor_email, 'relationship' as why
from relationships
union
select mentee_email, mentor_email, 'excluded' as why
from pair_rules
where rule = 'excluded'
