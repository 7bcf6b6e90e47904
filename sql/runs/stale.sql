-- stale: runs left `running` by a process that died (the caller holds the data directory's
-- lock, so no other run can be going on).
select run_date
from runs
where status = 'running'
order by run_date
