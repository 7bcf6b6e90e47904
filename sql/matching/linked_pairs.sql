-- linked_pairs: every (a, b) with a hierarchical link, both directions, copied once a night
-- from the `hierarchy_links` view (migration 005, a recursive walk up the chains of
-- superiors) so that the pool's joins do not walk the chains again.
select a, b from hierarchy_links
