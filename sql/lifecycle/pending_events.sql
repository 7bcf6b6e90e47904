-- pending_events: events not applied yet and dated on or before $run_date, in the order they
-- happened (an event dated later waits for its night).
select *
from events
where applied_on is null and event_date <= $run_date
order by event_date asc, file_name asc, row_number asc
