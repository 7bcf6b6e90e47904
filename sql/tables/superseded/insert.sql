-- insert: the superseded rows of one file version, given by Python
-- (validate.records) as `new_superseded`, with columns of the superseded table.
insert into superseded by name
select * from new_superseded
