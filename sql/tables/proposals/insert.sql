-- insert: tonight's new proposals, given by Python as `new_proposals` (the columns of
-- jumelage.matching.proposals.PROPOSAL_COLUMNS, by name).
insert into proposals by name
select * from new_proposals
