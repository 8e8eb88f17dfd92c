-- Administrative divisions, keyed by the natural national code (2/4/6/9/12 digits).
-- The 12-digit zero-padded form names the same division and is kept alongside for joins with
-- hotline exports, which use it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE division (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]+$' AND length(code) IN (2, 4, 6, 9, 12)),
  level       text NOT NULL CHECK (level IN ('province', 'city', 'district', 'street', 'community')),
  name        text NOT NULL,
  -- The name without 居委会 / 村委会 suffixes: what people type and what exports carry.
  short_name  text NOT NULL,
  -- Pinyin initials of short_name, for search ("jtjy" finds 京铁家园社区).
  initials    text NOT NULL,
  parent_code text REFERENCES division (code),
  full_code   text GENERATED ALWAYS AS (rpad(code, 12, '0')) STORED UNIQUE,
  CHECK ((level = 'province') = (parent_code IS NULL))
);

CREATE INDEX division_parent_idx ON division (parent_code, code);
CREATE INDEX division_name_trgm_idx ON division USING gin (name gin_trgm_ops);
CREATE INDEX division_initials_idx ON division (initials text_pattern_ops);

-- What the package does not know about a community and its users do: edited in mustanswer.
CREATE TABLE community_profile (
  community_code text PRIMARY KEY REFERENCES division (code),
  residents      integer CHECK (residents >= 0),
  households     integer CHECK (households >= 0),
  buildings      integer CHECK (buildings >= 0),
  notes          text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text NOT NULL
);
