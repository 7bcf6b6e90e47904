-- relationship: the relationship $relationship_id, whoever its partners.
select relationship_id, mentee_email, mentor_email, status
from relationships
where relationship_id = $relationship_id
