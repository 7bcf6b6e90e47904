-- 009: participant_names, each participant's display name (first and last name) with their
-- organization, by (email, role): what the report's tables show beside an email, and what a
-- coordinator joins to read a proposal or a flag.
create or replace view participant_names as
select
    email,
    role,
    concat_ws(' ', first_name, last_name) as name,
    organization
from participants;
