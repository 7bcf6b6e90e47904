-- record_event: an event about the pair on $day. It is the latest event if none is later
-- (the silence is counted from it), and it fills the date column it reports, named by
-- $event_column (first_meeting_on, midpoint_review_on, final_review_on; null: none), unless
-- an earlier event filled it. $relationship_id.
update relationships
set
    last_event_on = greatest(coalesce(last_event_on, $day::date), $day::date),
    first_meeting_on = case
        when $event_column::varchar = 'first_meeting_on'
            then coalesce(first_meeting_on, $day::date)
        else first_meeting_on
    end,
    midpoint_review_on = case
        when $event_column::varchar = 'midpoint_review_on'
            then coalesce(midpoint_review_on, $day::date)
        else midpoint_review_on
    end,
    final_review_on = case
        when $event_column::varchar = 'final_review_on'
            then coalesce(final_review_on, $day::date)
        else final_review_on
    end
where relationship_id = $relationship_id
