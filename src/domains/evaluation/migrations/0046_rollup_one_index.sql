-- A community's months are found through the primary key (month = ANY(list), district, street,
-- community: one descent a month), so the category rollup, which grows by about a row per
-- imported appeal, keeps a single index.
DROP INDEX appeal_month_rollup_community_idx;
