-- hashes: the content hash of every file version ever read.
select sha256
from files
