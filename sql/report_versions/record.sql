-- record: the report of $run_date with $fingerprint was written ($corrected, $written_at);
-- the same content written again keeps its first row.
insert into report_versions (run_date, fingerprint, corrected, written_at)
values ($run_date, $fingerprint, $corrected, $written_at)
on conflict do nothing
