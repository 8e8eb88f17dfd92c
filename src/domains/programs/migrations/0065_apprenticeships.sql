-- 带徒弟: a secretary trains a community cadre so that the work stays when the secretary leaves.
CREATE TABLE apprenticeship (
  id                  bigserial PRIMARY KEY,
  posting_id          bigint NOT NULL REFERENCES posting (id),
  apprentice_name     text NOT NULL CHECK (btrim(apprentice_name) <> ''),
  -- The apprentice's post in the community, e.g. 社区居委会委员.
  apprentice_position text,
  start_date          date NOT NULL,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'ended')),
  end_date            date,
  notes               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  created_by          text NOT NULL,
  CHECK ((status = 'active') = (end_date IS NULL)),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX apprenticeship_posting_idx ON apprenticeship (posting_id);

CREATE TABLE apprenticeship_training (
  id                bigserial PRIMARY KEY,
  apprenticeship_id bigint NOT NULL REFERENCES apprenticeship (id),
  training_date     date NOT NULL,
  topic             text NOT NULL CHECK (btrim(topic) <> ''),
  hours             numeric(4, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
  recorded_by       text NOT NULL
);
CREATE INDEX apprenticeship_training_idx ON apprenticeship_training (apprenticeship_id, training_date);

-- What the apprentice now handles alone, and since when: the "team that cannot be taken away".
CREATE TABLE apprenticeship_task (
  id                bigserial PRIMARY KEY,
  apprenticeship_id bigint NOT NULL REFERENCES apprenticeship (id),
  description       text NOT NULL CHECK (btrim(description) <> ''),
  since_date        date NOT NULL,
  recorded_by       text NOT NULL
);
CREATE INDEX apprenticeship_task_idx ON apprenticeship_task (apprenticeship_id, since_date);
