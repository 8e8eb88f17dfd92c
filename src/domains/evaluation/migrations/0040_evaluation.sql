-- Monthly rollups of appeals: one row per month × place × category × kind. Volume counts in the
-- month an appeal was received; the callback figures count in the month of its latest valid
-- callback (DOMAIN.md, "Where an appeal counts"). Months are calendar months in Asia/Shanghai.
-- Kind stays a key so that which kinds count for which rate is configuration applied when the
-- rates are read, not baked in when the rollup is written.
CREATE TABLE appeal_month_rollup (
  month          date NOT NULL CHECK (extract(day FROM month) = 1),
  district_code  text NOT NULL,
  -- '' while an appeal waits for matching to a street or community: it still counts for the district.
  street_code    text NOT NULL,
  community_code text NOT NULL,
  category_code  text NOT NULL,
  kind           text NOT NULL,
  volume         integer NOT NULL DEFAULT 0,
  -- Received this month and past a response or handling deadline (late, or still owing).
  overdue        integer NOT NULL DEFAULT 0,
  callbacks      integer NOT NULL DEFAULT 0,
  contacted      integer NOT NULL DEFAULT 0,
  solved         integer NOT NULL DEFAULT 0,
  satisfied      integer NOT NULL DEFAULT 0,
  basically      integer NOT NULL DEFAULT 0,
  unsatisfied    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (month, community_code, street_code, district_code, category_code, kind)
);
CREATE INDEX appeal_month_rollup_street_idx ON appeal_month_rollup (month, street_code);
CREATE INDEX appeal_month_rollup_district_idx ON appeal_month_rollup (month, district_code);
CREATE INDEX appeal_month_rollup_community_idx ON appeal_month_rollup (community_code, month);

-- The evaluation's rules as data (weights, the 0.9 factor, which kinds count for which rate,
-- the ranking minimum): one row, edited by admins, defaults in src/domains/evaluation/config.ts.
CREATE TABLE evaluation_config (
  id         integer PRIMARY KEY CHECK (id = 1),
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);
