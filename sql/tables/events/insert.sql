-- insert: the accepted event rows of one file version, given by Python
-- (validate.records) as `new_events`, with columns of the events table.
insert into events by name
select * from new_events
