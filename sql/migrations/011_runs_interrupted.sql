-- 011: a night that did not finish says where and how. runs.status may now be
-- `interrupted` (the process died or was stopped mid-run: found `running` by the next run, or
-- stopped by SIGTERM) besides running | succeeded | failed; `stage` names the stage that was
-- running (or `start` for a night that could not start: configuration, lock, warehouse).
alter table runs add column if not exists stage varchar;
