-- resolve_relationship_flags: a flag about a relationship leaves "à traiter" when what it asked for
-- happened: the first meeting, an event after the silence, the review, the end of the relationship,
-- or the conflict no longer holds (tonight's conflicts, relationship_id and flag_id, are given
-- by Python as `current_conflicts`). $run_date, $stale_after.
update flags
set
    resolved_on = $run_date::date,
    resolved_by = case
        when relationships.status = 'ended' then 'relationship_ended'
        when flags.kind = 'first_meeting_overdue' then 'meeting_held'
        when flags.kind = 'midpoint_review_due' then 'midpoint_review_done'
        when flags.kind = 'final_review_due' then 'final_review_done'
        when flags.kind = 'stale' then 'event'
        else 'resolved'
    end
from relationships
where flags.resolved_on is null
    and flags.relationship_id = relationships.relationship_id
    and (
        relationships.status = 'ended'
        or (flags.kind = 'first_meeting_overdue' and relationships.first_meeting_on is not null)
        or (flags.kind = 'midpoint_review_due' and relationships.midpoint_review_on is not null)
        or (flags.kind = 'final_review_due' and relationships.final_review_on is not null)
        or (
            flags.kind = 'stale'
            and relationships.last_event_on > flags.due_on - to_days($stale_after::integer)
        )
        or (flags.kind = 'conflict' and not exists (
            select 1 from current_conflicts
            where current_conflicts.relationship_id = flags.relationship_id
                and current_conflicts.flag_id = flags.flag_id
        ))
    );
