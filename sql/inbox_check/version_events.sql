-- version_events: the accepted event rows one file version gave, in file order (what a
-- correction of that file replaces). $file_name, $file_sha256: the version.
select *
from events
where file_name = $file_name and file_sha256 = $file_sha256
order by row_number
