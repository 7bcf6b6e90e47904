-- insert: the quarantined rows of one file version, given by Python (validate.records) as
-- `new_quarantine`, with columns of the quarantine table.
insert into quarantine by name
select * from new_quarantine
