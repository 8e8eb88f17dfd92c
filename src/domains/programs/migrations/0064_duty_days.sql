-- Days a secretary spent on site, checked weekly against the program's minimum.
CREATE TABLE duty_day (
  id         bigserial PRIMARY KEY,
  posting_id bigint NOT NULL REFERENCES posting (id),
  duty_date  date NOT NULL,
  hours      numeric(4, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
  work       text NOT NULL CHECK (btrim(work) <> ''),
  with_whom  text,
  logged_at  timestamptz NOT NULL DEFAULT now(),
  logged_by  text NOT NULL,
  UNIQUE (posting_id, duty_date)
);
