-- latest: the fingerprint of the last report written for $run_date (none: never written).
select fingerprint
from report_versions
where run_date = $run_date
order by written_at desc
limit 1
