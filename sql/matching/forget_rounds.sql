-- forget_rounds: the matching rounds of $run_date removed (whatif, on a copy of the
-- warehouse only), so that the night is matched again as round 1.
delete from matching_runs
where run_date = $run_date
