-- Hard-nut projects (硬骨头): a community's hard problem that a secretary takes on and sees through.
-- Progress is never stored: it is derived from the milestones. Dates are calendar dates.

-- The target of project's (lead_posting_id, community_code) key: a project's lead posting is
-- always a posting in the project's own community, whatever the code above does.
ALTER TABLE posting ADD CONSTRAINT posting_id_community_key UNIQUE (id, community_code);

CREATE TABLE project (
  id                       bigserial PRIMARY KEY,
  community_code           text NOT NULL REFERENCES division (code) CHECK (length(community_code) = 12),
  title                    text NOT NULL CHECK (btrim(title) <> ''),
  description              text,
  -- The problem category in the appeal category codes (parking, elevator.renewal, gas.connection):
  -- what the achievement report counts by and what before/after compares appeals on.
  category_code            text NOT NULL REFERENCES appeal_category (code),
  origin                   text NOT NULL CHECK (origin IN ('hotspot', 'appeal_cluster', 'historical_problem', 'assignment')),
  -- A long-standing (历史遗留) problem: reported apart as "historical problems solved".
  historical               boolean NOT NULL DEFAULT false,
  -- NULL while no secretary leads it (a street's own project); passes to the successor posting.
  lead_posting_id          bigint,
  status                   text NOT NULL DEFAULT 'proposed'
                           CHECK (status IN ('proposed', 'consulting', 'approved', 'in_progress', 'completed', 'stalled', 'cancelled')),
  -- NULL follows the global rule (project_config); true or false overrides it for this project.
  requires_consultation    boolean,
  planned_start_date       date,
  planned_end_date         date,
  actual_start_date        date,
  actual_end_date          date,
  expected_completion_date date,
  households_benefited     integer CHECK (households_benefited BETWEEN 0 AND 1000000),
  created_at               timestamptz NOT NULL DEFAULT now(),
  created_by               text NOT NULL,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (lead_posting_id, community_code) REFERENCES posting (id, community_code),
  CHECK (planned_end_date IS NULL OR planned_start_date IS NULL OR planned_end_date >= planned_start_date),
  CHECK (actual_end_date IS NULL OR (actual_start_date IS NOT NULL AND actual_end_date >= actual_start_date)),
  -- Work under way or behind it has a start; a completed project has an end.
  CHECK (status NOT IN ('in_progress', 'stalled', 'completed') OR actual_start_date IS NOT NULL),
  CHECK ((status = 'completed') = (actual_end_date IS NOT NULL))
);
CREATE INDEX project_community_idx ON project (community_code, id);
CREATE INDEX project_lead_idx ON project (lead_posting_id) WHERE lead_posting_id IS NOT NULL;
CREATE INDEX project_status_idx ON project (status, id);

-- Every change of status, in order: the project page's timeline, and who approved on which day.
CREATE TABLE project_status_change (
  id          bigserial PRIMARY KEY,
  project_id  bigint NOT NULL REFERENCES project (id),
  from_status text,
  to_status   text NOT NULL,
  changed_on  date NOT NULL,
  note        text,
  actor       text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_status_change_idx ON project_status_change (project_id, id);

-- The rules as data (consultation before approval, the sane bounds of outputs, the before/after
-- window): one row, edited by admins, defaults in src/domains/projects/config.ts.
CREATE TABLE project_config (
  id         integer PRIMARY KEY CHECK (id = 1),
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);
