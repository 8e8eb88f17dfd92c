-- The registry of organizations: where a cadre comes from (secretary programs), who takes part in
-- a project (property-rights and property-management units), and later who an appeal is
-- dispatched to. One registry so that the same 物业公司 is one row everywhere.
CREATE TABLE unit (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (btrim(name) <> ''),
  type           text NOT NULL CHECK (type IN ('party_government_agency', 'street_office', 'community_committee',
                                               'resident_unit', 'new_economic_org', 'new_social_org',
                                               'property_management', 'property_rights', 'utility', 'other')),
  -- The district the unit belongs to; NULL for municipal or national units (北京市住建委, 国家电网),
  -- which every district picks from.
  district_code  text REFERENCES division (code) CHECK (length(district_code) = 6),
  -- A section inside a larger unit, e.g. 六里桥街道党群工作办公室 inside 六里桥街道办事处.
  parent_unit_id bigint REFERENCES unit (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  CHECK (parent_unit_id <> id)
);
-- A name once per district: the registry is picked from, so a second 大唐高井热电厂 is a mistake.
CREATE UNIQUE INDEX unit_name_district_idx ON unit (name, coalesce(district_code, ''));
CREATE INDEX unit_district_idx ON unit (district_code, id);
CREATE INDEX unit_name_trgm_idx ON unit USING gin (name gin_trgm_ops);
