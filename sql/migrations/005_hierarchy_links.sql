-- 005: hierarchy_links, a view shared by matching (eligibility) and the lifecycle (conflicts,
-- invalid proposals): every (a, b) with a hierarchical link (SPEC §4), b being a's superior
-- directly or through a chain of superiors known from the registrations, and the reverse
-- direction too. People removed by a correction no longer link anyone.
-- UNION (not UNION ALL) deduplicates against every row already found, so a cycle in the
-- manager data ends the recursion instead of looping.
create or replace view hierarchy_links as
with recursive
reports_to as (
    select distinct email as person, manager_email as superior
    from participants
    where manager_email is not null and manager_email <> email and status <> 'removed'
),

superiors(person, superior) as (
    select person, superior from reports_to
    union
    select chain.person, up.superior
    from superiors as chain
    join reports_to as up on up.person = chain.superior
)

select person as a, superior as b from superiors where person <> superior
union
select superior as a, person as b from superiors where person <> superior;
