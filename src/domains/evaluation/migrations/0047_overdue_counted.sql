-- Live writes move the rollups by the difference an appeal's change makes (rollup-delta.ts)
-- instead of recounting its place-months from the appeals: a write then costs the same at ten
-- thousand and at 24 million stored appeals. A difference needs to know what the appeal added
-- before, and "overdue" moves with the clock, so the appeal keeps the overdue flag the rollups
-- counted for it. Writes set it; a sweep (sweepOverdue) sets it for deadlines that pass between
-- writes, found through the partial due-date indexes.
ALTER TABLE appeal ADD COLUMN overdue_counted boolean NOT NULL DEFAULT false;

UPDATE appeal SET overdue_counted = true
WHERE coalesce(coalesce(responded_at, now()) > response_due_at, false)
   OR coalesce(coalesce(handled_at, now()) > handling_due_at, false);

-- The rollups' overdue figures from those flags, so that a recount from the appeals equals them.
UPDATE appeal_month_rollup SET overdue = 0 WHERE overdue <> 0;
WITH rules AS (
  SELECT coalesce((SELECT (config ->> 'periodStartDay')::int FROM evaluation_config WHERE id = 1), 1) AS start_day
), flagged AS (
  SELECT (date_trunc('month', a.received_at AT TIME ZONE 'Asia/Shanghai')
          + CASE WHEN r.start_day > 1 AND extract(day FROM a.received_at AT TIME ZONE 'Asia/Shanghai') >= r.start_day
                 THEN interval '1 month' ELSE interval '0' END)::date AS month,
         a.district_code, coalesce(a.street_code, '') AS street_code, coalesce(a.community_code, '') AS community_code,
         a.category_code, a.kind, count(*)::int AS n
  FROM appeal a CROSS JOIN rules r
  WHERE a.overdue_counted
  GROUP BY 1, 2, 3, 4, 5, 6
)
UPDATE appeal_month_rollup c SET overdue = f.n FROM flagged f
WHERE c.month = f.month AND c.district_code = f.district_code AND c.street_code = f.street_code
  AND c.community_code = f.community_code AND c.category_code = f.category_code AND c.kind = f.kind;

UPDATE appeal_month_place p SET overdue = s.n
FROM (SELECT month, district_code, street_code, community_code, kind, sum(overdue)::int AS n
      FROM appeal_month_rollup GROUP BY 1, 2, 3, 4, 5) s
WHERE p.month = s.month AND p.district_code = s.district_code AND p.street_code = s.street_code
  AND p.community_code = s.community_code AND p.kind = s.kind AND p.overdue <> s.n;

UPDATE place_month_counts c SET overdue = s.n
FROM (SELECT month, district_code, street_code, community_code, sum(overdue)::int AS n
      FROM appeal_month_place GROUP BY 1, 2, 3, 4) s
WHERE c.month = s.month AND c.district_code = s.district_code AND c.street_code = s.street_code
  AND c.community_code = s.community_code AND c.overdue <> s.n;

-- How far the overdue sweep has looked: it reads deadlines from a day before this to now, so a
-- write that committed late (its flag taken at its start) is still seen.
CREATE TABLE overdue_sweep (
  id        integer PRIMARY KEY CHECK (id = 1),
  swept_to  timestamptz NOT NULL
);
INSERT INTO overdue_sweep VALUES (1, now());
