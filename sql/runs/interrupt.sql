-- interrupt: a run left `running` by a dead process becomes `interrupted`; the stage it was
-- in is unknown unless a SIGTERM handler recorded it.
update runs
set status = 'interrupted', error = $error
where status = 'running'
