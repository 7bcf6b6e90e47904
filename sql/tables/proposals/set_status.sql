-- set_status: a proposal's decision (accepted, declined, expired, withdrawn) on $decided_on;
-- the reason is kept when none is given. $proposal_id, $status, $status_reason, $run_date.
update proposals
set
    status = $status,
    decided_on = $decided_on::date,
    status_reason = coalesce($status_reason::varchar, status_reason),
    updated_on = $run_date::date
where proposal_id = $proposal_id
