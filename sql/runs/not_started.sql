-- not_started: a night that could not start (configuration, lock, warehouse), recorded by the
-- next run from the failure record left in the data or state directory.
insert into runs (run_date, kind, started_at, finished_at, status, stage, error)
values ($run_date, $kind, $started_at, $finished_at, 'failed', $stage, $error)
on conflict (run_date) do update set
    kind = excluded.kind,
    started_at = excluded.started_at,
    finished_at = excluded.finished_at,
    status = 'failed',
    stage = excluded.stage,
    error = excluded.error,
    attempts = runs.attempts + 1
