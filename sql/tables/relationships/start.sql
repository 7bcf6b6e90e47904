-- start: the relationship born of an accepted proposal, once (a replay inserts nothing).
-- Its first event is the acceptance itself. $relationship_id, $proposal_id, $mentee_email,
-- $mentor_email, $started_on, $planned_end_on, $midpoint_on.
insert into relationships (
    relationship_id, proposal_id, mentee_email, mentor_email,
    started_on, planned_end_on, status, midpoint_on, last_event_on
)
values (
    $relationship_id, $proposal_id, $mentee_email, $mentor_email,
    $started_on::date, $planned_end_on::date, 'active', $midpoint_on::date, $started_on::date
)
on conflict do nothing
