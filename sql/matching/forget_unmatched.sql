-- forget_unmatched: the reasons of $run_date, replaced by the night's last round.
delete from unmatched
where run_date = $run_date
