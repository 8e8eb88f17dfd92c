-- The category rollup keyed place-first from the top of the hierarchy down (month, district,
-- street, community, …): a district's or a street's month is then a range of the primary key,
-- and the two indexes that served those lookups go. At Beijing's density the rollup takes about
-- a row per appeal, so every index on it is an index write per imported appeal.
ALTER TABLE appeal_month_rollup DROP CONSTRAINT appeal_month_rollup_pkey;
ALTER TABLE appeal_month_rollup ADD PRIMARY KEY (month, district_code, street_code, community_code, category_code, kind);
DROP INDEX appeal_month_rollup_street_idx, appeal_month_rollup_district_idx;
