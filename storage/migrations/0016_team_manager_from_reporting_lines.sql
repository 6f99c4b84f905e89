-- A team nobody named a manager for is managed by the person more than half of its other active members report to
-- (people.manager_id: the file's word, else Graph's). With Microsoft Graph on, a team gets its manager out of the box
-- (results, digest previews, nudge step 3); a manager the admin names (teams.manager_id, or a member whose role is
-- 'manager', rank 0 and 1) always wins, and the derived one (rank 2) counts only while no named one is active.
CREATE OR REPLACE VIEW team_managers AS
SELECT DISTINCT ON (x.team_id, x.person_id) x.tenant_id, x.team_id, x.person_id, x.rank
FROM (
    SELECT t.tenant_id, t.id AS team_id, t.manager_id AS person_id, 0 AS rank
    FROM teams t WHERE t.manager_id IS NOT NULL
    UNION ALL
    SELECT t.tenant_id, m.team_id, m.person_id, 1
    FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.role = 'manager'
    UNION ALL
    SELECT t.tenant_id, t.id, r.manager_id, 2
    FROM teams t
    JOIN LATERAL (
        SELECT p.manager_id
        FROM team_members m JOIN people p ON p.id = m.person_id AND p.active
        WHERE m.team_id = t.id AND p.manager_id IS NOT NULL
        GROUP BY p.manager_id
        HAVING 2 * count(*) > (SELECT count(*) FROM team_members o JOIN people q ON q.id = o.person_id AND q.active
                               WHERE o.team_id = t.id AND o.person_id <> p.manager_id)
    ) r ON true
    WHERE NOT EXISTS (SELECT 1 FROM people n WHERE n.id = t.manager_id AND n.active)
      AND NOT EXISTS (SELECT 1 FROM team_members o JOIN people q ON q.id = o.person_id AND q.active WHERE o.team_id = t.id AND o.role = 'manager')
) x
JOIN people p ON p.id = x.person_id AND p.active
ORDER BY x.team_id, x.person_id, x.rank;
