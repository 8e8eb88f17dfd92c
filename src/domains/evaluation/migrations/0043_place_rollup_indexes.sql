-- Rankings, the key-community list and the latest month read place_month_counts now; the place
-- rollup is only summed from the category rollup and into the counts, by its primary key.
DROP INDEX appeal_month_place_street_idx, appeal_month_place_district_idx, appeal_month_place_community_idx;
