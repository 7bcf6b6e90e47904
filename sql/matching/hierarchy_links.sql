-- Every (a, b) with a hierarchical link, both directions: the `hierarchy_links` view
-- (sql/migrations/005_hierarchy_links.sql), shared with the lifecycle's conflict checks.
select a, b from hierarchy_links
