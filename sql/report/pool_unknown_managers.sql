-- Bassin: active participants whose direct superior is known neither from their registration
-- (manager_email) nor from the org chart (org_chart, migration 015): the rule of no
-- hierarchical link cannot protect their pairs, so a coordinator may ask for it. One row
-- per person, both roles at once.
select
    p.email,
    string_agg(distinct p.role, ', ' order by p.role) as participant_roles,
    any_value(p.organization) as organization_name
from participants as p
where
    p.status = 'active'
    and p.manager_email is null
    and not exists (
        select 1 from org_chart as c
        where c.email = p.email
    )
group by p.email
order by p.email
