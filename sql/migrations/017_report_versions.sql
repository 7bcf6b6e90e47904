-- 017: report_versions, the fingerprint of every distinct report written for a run date, so
-- that a reprocessing knows whether its report says anything new: only then is it marked
-- « corrigé » and mailed again.
create table report_versions (
    run_date date not null,
    fingerprint varchar not null,
    corrected boolean not null,
    written_at timestamp not null,  -- UTC
    primary key (run_date, fingerprint)
);
