-- Imports of hotline exports. A source is where files come from (a district office's export, a
-- city feed); its column mapping is saved so the next file from it needs no options.
CREATE TABLE import_source (
  name       text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
  -- { "fields": { "ticketNo": ["工单编号", …], … }, "categories": { "小区停车": "parking.shortage" } }
  mapping    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

-- One row per file imported. It is written before the load starts, so a load that fails leaves
-- its record ('failed' with the reason; 'running' if the process died) and no appeal rows.
CREATE TABLE appeal_import (
  id            bigserial PRIMARY KEY,
  source_name   text REFERENCES import_source (name),
  file_name     text NOT NULL,
  file_bytes    bigint NOT NULL,
  file_sha256   text NOT NULL,
  format        text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding      text,
  -- The district rows without a district column belong to (--district).
  district_code text REFERENCES division (code),
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  failure       text,
  rows_total    integer NOT NULL DEFAULT 0,
  inserted      integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  unmatched     integer NOT NULL DEFAULT 0,
  bad_rows      integer NOT NULL DEFAULT 0,
  warnings      integer NOT NULL DEFAULT 0,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  imported_by   text NOT NULL,
  -- The importer's scope when it ran: who may read the import later.
  scope_code    text NOT NULL
);
CREATE INDEX appeal_import_scope_idx ON appeal_import (scope_code text_pattern_ops, id DESC);

-- What was wrong with a row: 'error' rows did not land; 'warning' rows landed with a fallback
-- (an unknown category became 'other').
CREATE TABLE appeal_import_problem (
  import_id   bigint NOT NULL REFERENCES appeal_import (id),
  row_no      integer NOT NULL,
  column_name text,
  value       text,
  ticket_no   text,
  severity    text NOT NULL CHECK (severity IN ('error', 'warning')),
  reason_zh   text NOT NULL,
  reason_en   text NOT NULL
);
CREATE INDEX appeal_import_problem_idx ON appeal_import_problem (import_id, row_no);

-- Appeals whose row named no community that could be found: they count for their district
-- (and street) meanwhile, and wait here for someone to pick the community.
CREATE TABLE appeal_unmatched (
  id              bigserial PRIMARY KEY,
  appeal_id       bigint NOT NULL UNIQUE REFERENCES appeal (id),
  import_id       bigint NOT NULL REFERENCES appeal_import (id),
  given_street    text,
  given_community text,
  reason          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     text,
  community_code  text REFERENCES division (code),
  CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX appeal_unmatched_open_idx ON appeal_unmatched (id) WHERE resolved_at IS NULL;
