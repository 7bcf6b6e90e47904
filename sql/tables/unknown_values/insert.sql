-- insert: the tags and slots outside the vocabulary of one file version, given by Python
-- (validate.records) as `new_unknown_values`, with columns of the unknown_values table.
insert into unknown_values by name
select * from new_unknown_values
