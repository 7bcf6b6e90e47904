-- end: a relationship ends on $ended_on for the reason $end_reason (the value of the
-- relationship_ended event). $relationship_id.
update relationships
set status = 'ended', ended_on = $ended_on::date, end_reason = $end_reason
where relationship_id = $relationship_id
