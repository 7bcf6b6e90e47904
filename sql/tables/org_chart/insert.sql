-- insert: the accepted org chart rows of one file version, given by Python
-- (validate.records) as `new_org_chart`, with columns of the org_chart table.
insert into org_chart by name
select * from new_org_chart
