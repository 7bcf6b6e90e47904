-- start: the run of $run_date begins (again): status running, one more attempt.
insert into runs (run_date, kind, started_at, status)
values ($run_date, $kind, $started_at, 'running')
on conflict (run_date) do update set
    kind = excluded.kind,
    started_at = excluded.started_at,
    finished_at = null,
    status = 'running',
    stage = null,
    error = null,
    attempts = runs.attempts + 1
