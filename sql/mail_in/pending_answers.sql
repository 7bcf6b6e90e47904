-- pending_answers: answers by email about proposal $proposal_id recorded but not applied yet
-- (a second answer read the same night), by event type.
select event_type
from events
where source = 'email' and applied_on is null and proposal_id = $proposal_id
