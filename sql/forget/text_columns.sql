-- text_columns: every text column of every table of the warehouse (those added later
-- included), for the last sweep of an erasure.
select
    columns.table_name,  -- noqa: RF04
    columns.column_name,  -- noqa: RF04
    columns.data_type
from information_schema.columns as columns  -- noqa: RF04
inner join information_schema.tables as tables using (table_schema, table_name)  -- noqa: RF04
where
    columns.table_schema = 'main'
    and tables.table_type = 'BASE TABLE'
    and columns.data_type in ('VARCHAR', 'JSON', 'VARCHAR[]')
order by columns.table_name asc, columns.column_name asc
