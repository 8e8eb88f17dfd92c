-- The people the programs post: agency cadres (governance secretaries), cadres of resident units
-- and of the two new organizations (first secretaries).
CREATE TABLE cadre (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL CHECK (btrim(name) <> ''),
  unit_id    bigint NOT NULL REFERENCES unit (id),
  position   text,
  -- Problem categories the cadre knows (parking, elevator, gas, …), in the appeal category codes,
  -- matched against a community's top complaint categories.
  expertise  text[] NOT NULL DEFAULT '{}',
  -- Personal data: shown masked to every role but admin and org_department.
  phone      text,
  notes      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cadre_unit_idx ON cadre (unit_id);
CREATE INDEX cadre_expertise_idx ON cadre USING gin (expertise);

-- accounts left app_user.cadre_id without a target until the registry existed: a secretary's
-- login names its cadre, whose postings are theirs to log duty days on.
ALTER TABLE app_user ADD CONSTRAINT app_user_cadre_fk FOREIGN KEY (cadre_id) REFERENCES cadre (id);
CREATE INDEX app_user_cadre_idx ON app_user (cadre_id) WHERE cadre_id IS NOT NULL;
