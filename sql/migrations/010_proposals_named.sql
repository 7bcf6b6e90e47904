-- 010: proposals_named, every proposal with the names and organizations of both partners:
-- what the report's proposal tables and the committee's CSV show, and what a coordinator
-- reads a proposal with.
create or replace view proposals_named as
select
    proposals.*,
    mentee.name as mentee_name,
    mentee.organization as mentee_organization,
    mentor.name as mentor_name,
    mentor.organization as mentor_organization
from proposals
left join participant_names as mentee
    on mentee.email = proposals.mentee_email and mentee.role = 'mentee'
left join participant_names as mentor
    on mentor.email = proposals.mentor_email and mentor.role = 'mentor';
