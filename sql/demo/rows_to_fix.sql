-- rows_to_fix: quarantined rows of the current version of each file, for the demo's summary.
select quarantine.source_file, quarantine.row_number, quarantine.reasons
from quarantine
inner join files
    on files.sha256 = quarantine.file_sha256 and files.name = quarantine.source_file
where files.status in ('current', 'rejected')
order by quarantine.source_file asc, quarantine.row_number asc
