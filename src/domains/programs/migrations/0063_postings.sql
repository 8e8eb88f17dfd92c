-- A posting is one cadre in one community for one batch. Renewals and successions are new rows
-- naming the posting they continue, so a community's (and a cadre's) history is a chain.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE posting (
  id                     bigserial PRIMARY KEY,
  -- Copied from the batch (the composite key below keeps it true) so that the exclusion
  -- constraint can compare it.
  program_id             bigint NOT NULL,
  batch_id               bigint NOT NULL,
  community_code         text NOT NULL,
  cadre_id               bigint NOT NULL REFERENCES cadre (id),
  role                   text NOT NULL CHECK (role IN ('governance_secretary', 'first_secretary', 'custom')),
  kind                   text NOT NULL CHECK (kind IN ('new', 'renewal', 'succession')),
  -- At most one successor per posting: the chain of a community never forks.
  predecessor_posting_id bigint UNIQUE REFERENCES posting (id),
  start_date             date NOT NULL,
  -- NULL while the posting runs; status (active/ended) is derived from it, never stored.
  end_date               date,
  end_reason             text,
  notes                  text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  created_by             text NOT NULL,
  FOREIGN KEY (batch_id, program_id) REFERENCES batch (id, program_id),
  -- Only a community the batch covers can be posted to.
  FOREIGN KEY (batch_id, community_code) REFERENCES batch_community (batch_id, community_code),
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK ((kind = 'new') = (predecessor_posting_id IS NULL)),
  -- One secretary per community and program at any one time, whatever the code above does.
  CONSTRAINT posting_one_active_per_community EXCLUDE USING gist (
    program_id WITH =,
    community_code WITH =,
    daterange(start_date, coalesce(end_date, 'infinity'), '[]') WITH &&
  )
);
CREATE INDEX posting_community_idx ON posting (community_code, start_date);
CREATE INDEX posting_cadre_idx ON posting (cadre_id, start_date);
CREATE INDEX posting_batch_idx ON posting (batch_id);

-- What a successor takes over: notes, the people to know, the open items (project links come
-- with the projects domain; until then each item is a description).
CREATE TABLE handover (
  id              bigserial PRIMARY KEY,
  from_posting_id bigint NOT NULL UNIQUE REFERENCES posting (id),
  to_posting_id   bigint NOT NULL UNIQUE REFERENCES posting (id),
  handover_date   date NOT NULL,
  notes           text,
  contacts        jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(contacts) = 'array'),
  open_items      jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(open_items) = 'array'),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  recorded_by     text NOT NULL,
  CHECK (from_posting_id <> to_posting_id)
);
