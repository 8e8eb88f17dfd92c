-- A district's secretary program (Fengtai's governance secretaries, Shijingshan's first
-- secretaries) with its rules; batches number the rounds of selection within it.
CREATE TABLE program (
  id                     bigserial PRIMARY KEY,
  kind                   text NOT NULL CHECK (kind IN ('governance_secretary', 'first_secretary', 'custom')),
  name                   text NOT NULL CHECK (btrim(name) <> ''),
  district_code          text NOT NULL REFERENCES division (code) CHECK (length(district_code) = 6),
  -- 0 means no minimum; Shijingshan's first secretaries: at least 2 days a week.
  min_duty_days_per_week smallint NOT NULL DEFAULT 0 CHECK (min_duty_days_per_week BETWEEN 0 AND 7),
  term_months            smallint CHECK (term_months BETWEEN 1 AND 120),
  allowed_unit_types     text[] NOT NULL CHECK (
    cardinality(allowed_unit_types) > 0
    AND allowed_unit_types <@ ARRAY['party_government_agency', 'street_office', 'community_committee',
                                    'resident_unit', 'new_economic_org', 'new_social_org',
                                    'property_management', 'property_rights', 'utility', 'other']::text[]),
  created_at             timestamptz NOT NULL DEFAULT now(),
  created_by             text NOT NULL,
  UNIQUE (district_code, name)
);

CREATE TABLE batch (
  id         bigserial PRIMARY KEY,
  program_id bigint NOT NULL REFERENCES program (id),
  number     integer NOT NULL CHECK (number > 0),
  start_date date NOT NULL,
  -- NULL while the batch has no fixed end.
  end_date   date,
  notes      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  UNIQUE (program_id, number),
  -- The target of posting's (batch_id, program_id) key, which keeps its denormalised program true.
  UNIQUE (id, program_id),
  CHECK (end_date IS NULL OR end_date >= start_date)
);

-- The communities a batch covers, with the evidence they were chosen on as it stood then
-- (rank appearances, a note): later rankings must not rewrite why a community was picked.
CREATE TABLE batch_community (
  batch_id           bigint NOT NULL REFERENCES batch (id),
  community_code     text NOT NULL REFERENCES division (code) CHECK (length(community_code) = 12),
  selection_evidence jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(selection_evidence) = 'object'),
  added_at           timestamptz NOT NULL DEFAULT now(),
  added_by           text NOT NULL,
  PRIMARY KEY (batch_id, community_code)
);
CREATE INDEX batch_community_code_idx ON batch_community (community_code);
