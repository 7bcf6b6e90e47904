"""The owners of the warehouse's lifecycle tables: one module writes each table.

- `tables.participants` writes `participants` (derived from registrations, events' status
  changes, organization and level changes, erasure);
- `tables.proposals` writes `proposals` (the night's new proposals, decisions, release,
  erasure);
- `tables.relationships` writes `relationships` (start, events, end, erasure);
- `tables.flags` writes `flags` (raised once, resolved when their cause is gone, erasure).

Nothing else inserts, updates or deletes these tables: the stages call their owner, so that
every way a row can change is listed in one module and its `sql/tables/<table>/` files
(tests/tables/test_owners.py keeps it so). The one deliberate exception is the last sweep of
`jumelage forget`, which rewrites every text cell naming the person in every table, so that
erasure also reaches tables added later. Reads stay free: the models of `sql/` select from
these tables directly.
"""
