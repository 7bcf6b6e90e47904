-- release: the committee approved a proposal, which is sent to the mentee tonight
-- (pending_approval -> proposed). $proposal_id, $run_date.
update proposals
set status = 'proposed', released_on = $run_date::date, updated_on = $run_date::date
where proposal_id = $proposal_id
