-- forget_night: the proposals of $run_date removed, so that the night can be matched again
-- from the same pool (whatif, on a copy of the warehouse only).
delete from proposals
where run_date = $run_date
