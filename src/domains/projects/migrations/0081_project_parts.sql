-- What a project is made of: who takes part, what residents said, the steps, the money, the
-- results and the appeals it answers.

-- 吹哨报到: the units around the table, each in a role. The same unit may hold two roles
-- (a property-rights unit that also pays).
CREATE TABLE project_stakeholder (
  id         bigserial PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES project (id),
  unit_id    bigint NOT NULL REFERENCES unit (id),
  role       text NOT NULL CHECK (role IN ('lead', 'coordinating', 'funding', 'executing', 'consulted')),
  note       text,
  added_at   timestamptz NOT NULL DEFAULT now(),
  added_by   text NOT NULL,
  UNIQUE (project_id, unit_id, role)
);
CREATE INDEX project_stakeholder_unit_idx ON project_stakeholder (unit_id);

-- 征求意见 / 议事协商: what residents were asked and how they answered.
CREATE TABLE project_consultation (
  id           bigserial PRIMARY KEY,
  project_id   bigint NOT NULL REFERENCES project (id),
  held_on      date NOT NULL,
  form         text NOT NULL CHECK (form IN ('meeting', 'survey', 'door_to_door')),
  participants integer NOT NULL CHECK (participants BETWEEN 1 AND 1000000),
  support      integer NOT NULL DEFAULT 0 CHECK (support >= 0),
  oppose       integer NOT NULL DEFAULT 0 CHECK (oppose >= 0),
  abstain      integer NOT NULL DEFAULT 0 CHECK (abstain >= 0),
  summary      text,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL,
  CHECK (support + oppose + abstain <= participants)
);
CREATE INDEX project_consultation_idx ON project_consultation (project_id, held_on);

-- Progress is the done milestones' share of the total weight.
CREATE TABLE project_milestone (
  id           bigserial PRIMARY KEY,
  project_id   bigint NOT NULL REFERENCES project (id),
  title        text NOT NULL CHECK (btrim(title) <> ''),
  weight       numeric(8, 2) NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1000),
  planned_on   date,
  done_on      date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL
);
CREATE INDEX project_milestone_idx ON project_milestone (project_id, id);

-- Money secured for the project, in yuan, and from whom.
CREATE TABLE project_fund (
  id             bigserial PRIMARY KEY,
  project_id     bigint NOT NULL REFERENCES project (id),
  amount         numeric(14, 2) NOT NULL CHECK (amount > 0 AND amount <= 10000000000),
  source_unit_id bigint NOT NULL REFERENCES unit (id),
  received_on    date NOT NULL,
  note           text,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  recorded_by    text NOT NULL
);
CREATE INDEX project_fund_idx ON project_fund (project_id, received_on);

-- Typed results with a target: 791 parking spaces, 50 elevators renewed, 100 households on gas.
CREATE TABLE project_output (
  id            bigserial PRIMARY KEY,
  project_id    bigint NOT NULL REFERENCES project (id),
  kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
  -- The measure's name for a custom kind (e.g. 处, 米); the typed kinds carry their own.
  unit_label    text,
  -- The problem category the output counts under, e.g. gas for households connected to gas.
  category_code text NOT NULL REFERENCES appeal_category (code),
  target        numeric(12, 2) NOT NULL CHECK (target > 0 AND target <= 1000000),
  achieved      numeric(12, 2) NOT NULL DEFAULT 0 CHECK (achieved >= 0 AND achieved <= 1000000),
  -- The day the target was reached; NULL while it is not.
  completed_on  date,
  note          text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'custom' OR btrim(coalesce(unit_label, '')) <> ''),
  CHECK ((completed_on IS NOT NULL) = (achieved >= target))
);
CREATE INDEX project_output_idx ON project_output (project_id, id);

-- The appeals a project answers, from the project's own community.
CREATE TABLE project_appeal (
  project_id bigint NOT NULL REFERENCES project (id),
  appeal_id  bigint NOT NULL REFERENCES appeal (id),
  -- The day the project took the appeal on: what the achievement report dates "assisted" by.
  linked_on  date NOT NULL,
  linked_at  timestamptz NOT NULL DEFAULT now(),
  linked_by  text NOT NULL,
  PRIMARY KEY (project_id, appeal_id)
);
CREATE INDEX project_appeal_appeal_idx ON project_appeal (appeal_id);
