-- The monthly rollup without the category: what rankings of all 7,535 communities read. At
-- Beijing's volume the category rollup holds over a million rows a month; this one at most
-- communities × kinds. Kept from appeal_month_rollup in the same transactions.
CREATE TABLE appeal_month_place (
  month          date NOT NULL,
  district_code  text NOT NULL,
  street_code    text NOT NULL,
  community_code text NOT NULL,
  kind           text NOT NULL,
  volume         integer NOT NULL,
  overdue        integer NOT NULL,
  callbacks      integer NOT NULL,
  contacted      integer NOT NULL,
  solved         integer NOT NULL,
  satisfied      integer NOT NULL,
  basically      integer NOT NULL,
  unsatisfied    integer NOT NULL,
  PRIMARY KEY (month, community_code, street_code, district_code, kind)
);
CREATE INDEX appeal_month_place_street_idx ON appeal_month_place (month, street_code);
CREATE INDEX appeal_month_place_district_idx ON appeal_month_place (month, district_code);
CREATE INDEX appeal_month_place_community_idx ON appeal_month_place (community_code, month);
