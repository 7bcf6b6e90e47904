"""`jumelage whatif`: the matching of a night re-run on a copy of the warehouse, with other
settings or other seats, compared with what the night really proposed.

Nothing it does reaches the program: the warehouse is copied into a temporary directory,
the copy is changed and matched, and only a comparison page is written (under `reports/`).
No email is queued or sent.
"""

from jumelage.whatif.compare import WhatIf, run_whatif
from jumelage.whatif.page import write_page
from jumelage.whatif.settings import parse_seats, with_settings

__all__ = ["WhatIf", "parse_seats", "run_whatif", "with_settings", "write_page"]
