-- 12345 work orders. The intake columns are what the hotline (or a resident) said; the outcome
-- columns from status to closed_at are derived from appeal_event and kept here so that lists,
-- deadlines and rollups never replay events. Every derived column can also be computed
-- set-based from a staged export, so a COPY-based import can fill this table directly.
CREATE SEQUENCE appeal_ticket_seq;

CREATE TABLE appeal (
  id                   bigserial PRIMARY KEY,
  -- Hotline tickets keep their number; appeals filed in mustanswer get MA-YYYY-NNNNNN.
  ticket_no            text NOT NULL UNIQUE CHECK (length(ticket_no) BETWEEN 1 AND 64),
  channel              text NOT NULL CHECK (channel IN ('phone', 'web', 'app', 'open311', 'walk_in')),
  received_at          timestamptz NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('complaint', 'help', 'consultation', 'suggestion', 'report', 'praise')),
  category_code        text NOT NULL REFERENCES appeal_category (code),
  description          text NOT NULL,
  address              text,
  -- Where it happened. The community is null while an imported row waits for matching; the
  -- district is always known (every export belongs to a district office) so scope filtering
  -- and rollups always have a place. Street and district repeat the community's prefix.
  community_code       text REFERENCES division (code),
  street_code          text REFERENCES division (code),
  district_code        text NOT NULL REFERENCES division (code),
  reporter_name        text,
  reporter_phone       text,
  urgency              text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
  historical           boolean NOT NULL DEFAULT false,
  duplicate_of         bigint REFERENCES appeal (id),

  status               text NOT NULL DEFAULT 'received'
                       CHECK (status IN ('received', 'dispatched', 'returned', 'responded', 'handled', 'called_back', 'closed')),
  dispatched_unit      text,
  dispatched_unit_type text CHECK (dispatched_unit_type IN ('street_office', 'department', 'utility', 'company')),
  dispatched_at        timestamptz,
  response_due_at      timestamptz,
  handling_due_at      timestamptz,
  responded_at         timestamptz,
  handled_at           timestamptz,
  -- The latest callback: null until one is recorded. Only a callback says solved; closing does not.
  contacted            boolean,
  solved               boolean,
  satisfaction         text CHECK (satisfaction IN ('satisfied', 'basically', 'unsatisfied')),
  last_callback_at     timestamptz,
  closed_at            timestamptz,
  last_event_at        timestamptz NOT NULL,
  -- The seq of the latest event: a writer names the version it read, and loses if it moved.
  version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),

  -- Words of description and address as jieba's search mode cuts them. An array with GIN
  -- rather than a tsvector: no text-search parser sits between jieba and the index, so the two
  -- backends (PostgreSQL 15 and PGlite 17) match exactly the same words.
  search_words         text[] NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           text NOT NULL,

  CHECK (street_code IS NULL OR (length(street_code) = 9 AND district_code = left(street_code, 6))),
  CHECK (community_code IS NULL OR (length(community_code) = 12 AND street_code = left(community_code, 9))),
  CHECK (length(district_code) = 6),
  CHECK (duplicate_of IS DISTINCT FROM id),
  CHECK ((dispatched_unit IS NULL) = (dispatched_unit_type IS NULL))
);

-- The list is newest first, cursor-paged on (received_at, id), usually within one division.
CREATE INDEX appeal_received_idx ON appeal (received_at DESC, id DESC);
CREATE INDEX appeal_district_idx ON appeal (district_code, received_at DESC, id DESC);
CREATE INDEX appeal_street_idx ON appeal (street_code, received_at DESC, id DESC);
CREATE INDEX appeal_community_idx ON appeal (community_code, received_at DESC, id DESC);
CREATE INDEX appeal_category_idx ON appeal (category_code, received_at DESC);
-- Overdue lists look only at appeals still owing a response or a result.
CREATE INDEX appeal_response_due_idx ON appeal (response_due_at) WHERE responded_at IS NULL;
CREATE INDEX appeal_handling_due_idx ON appeal (handling_due_at) WHERE handled_at IS NULL;
CREATE INDEX appeal_duplicate_idx ON appeal (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX appeal_search_idx ON appeal USING gin (search_words);

-- Every step of an appeal's life, in order. seq 1 is the intake; seq n is appeal.version n.
CREATE TABLE appeal_event (
  id          bigserial PRIMARY KEY,
  appeal_id   bigint NOT NULL REFERENCES appeal (id),
  seq         integer NOT NULL CHECK (seq >= 1),
  type        text NOT NULL
              CHECK (type IN ('received', 'imported', 'dispatch', 'return', 'respond', 'handle', 'callback', 'close', 'reopen')),
  -- When it happened (an import or a late entry records the past); recorded_at is when it was written.
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (appeal_id, seq)
);

-- History is appended, never rewritten: the database refuses, not just the code.
CREATE FUNCTION appeal_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'appeal_event is append-only';
END $$;
CREATE TRIGGER appeal_event_no_update BEFORE UPDATE OR DELETE ON appeal_event
  FOR EACH ROW EXECUTE FUNCTION appeal_event_is_append_only();
