-- active_relationships: relationships under way, whose pair is checked against the rules
-- that still apply to a running relationship.
select *
from relationships
where status = 'active'
order by relationship_id
