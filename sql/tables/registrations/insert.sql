-- insert: the accepted registration rows of one file version, given by Python
-- (validate.records) as `new_registrations`, with columns of the registrations table.
insert into registrations by name
select * from new_registrations
