-- A district's (or street's) months in order: the latest month with data is then the top of an
-- index range even for a district that has none, not a scan of every month of every place.
CREATE INDEX place_month_counts_district_idx ON place_month_counts (district_code, month);
