-- The place rollup with the evaluation's rules applied: one row per place and month holding the
-- counts the three rates are computed from. Rankings of all 7,535 communities and the
-- key-community list read it: a row per community and month, nothing left to fold per kind.
-- Which kinds count for which rate is configuration, so this table is derived from
-- appeal_month_place again whenever the rules change (service.updateConfig), and kept from it
-- in the same transactions as the other rollups.
CREATE TABLE place_month_counts (
  month              date NOT NULL,
  district_code      text NOT NULL,
  street_code        text NOT NULL,
  community_code     text NOT NULL,
  volume             integer NOT NULL,
  overdue            integer NOT NULL,
  response_valid     integer NOT NULL,
  contacted          integer NOT NULL,
  resolution_valid   integer NOT NULL,
  solved             integer NOT NULL,
  satisfaction_valid integer NOT NULL,
  satisfied          integer NOT NULL,
  basically          integer NOT NULL,
  -- month first: a ranking reads one or two months of one district (or of the city) in key order.
  PRIMARY KEY (month, district_code, street_code, community_code)
);
CREATE INDEX place_month_counts_community_idx ON place_month_counts (community_code, month);

-- Existing rollups, under the stored rules or, when none were saved, the defaults of
-- src/domains/evaluation/config.ts (the same jsonb; evaluation check compares the two).
INSERT INTO place_month_counts
SELECT p.month, p.district_code, p.street_code, p.community_code,
       sum(p.volume), sum(p.overdue),
       coalesce(sum(p.callbacks) FILTER (WHERE r.rates -> p.kind ? 'response'), 0),
       coalesce(sum(p.contacted) FILTER (WHERE r.rates -> p.kind ? 'response'), 0),
       coalesce(sum(p.callbacks) FILTER (WHERE r.rates -> p.kind ? 'resolution'), 0),
       coalesce(sum(p.solved) FILTER (WHERE r.rates -> p.kind ? 'resolution'), 0),
       coalesce(sum(p.callbacks) FILTER (WHERE r.rates -> p.kind ? 'satisfaction'), 0),
       coalesce(sum(p.satisfied) FILTER (WHERE r.rates -> p.kind ? 'satisfaction'), 0),
       coalesce(sum(p.basically) FILTER (WHERE r.rates -> p.kind ? 'satisfaction'), 0)
FROM appeal_month_place p
CROSS JOIN (SELECT coalesce(
  (SELECT config -> 'ratesByKind' FROM evaluation_config WHERE id = 1),
  '{"complaint": ["response", "resolution", "satisfaction"], "help": ["response", "resolution", "satisfaction"],
    "report": ["response", "resolution", "satisfaction"], "consultation": ["response", "satisfaction"],
    "suggestion": ["response", "satisfaction"], "praise": ["response"]}'::jsonb) AS rates) AS r
GROUP BY p.month, p.district_code, p.street_code, p.community_code;
