-- Open311 GeoReport v2 over the appeals. A client application (a residents' app, a city portal)
-- holds an api key issued by an administrator; the key acts as the role and within the division
-- scope it was issued with, so the appeals' own rules decide what its requests may do.
CREATE TABLE open311_client (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 100),
  contact        text,
  role           text NOT NULL CHECK (role IN ('hotline_office', 'street_office', 'community_committee', 'department_handler')),
  scope_code     text NOT NULL REFERENCES division (code),
  -- The key is shown once; only its SHA-256 is kept, and its first characters to tell keys apart.
  key_hash       text NOT NULL UNIQUE,
  key_prefix     text NOT NULL,
  per_minute     integer NOT NULL DEFAULT 60 CHECK (per_minute BETWEEN 1 AND 10000),
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  last_used_at   timestamptz,
  revoked_at     timestamptz,
  revoked_by     text,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- What an Open311 POST said beyond the appeal itself: where (as given, and how it was placed),
-- the service attributes, the media link, and the token a client may follow it by.
CREATE TABLE open311_request (
  appeal_id      bigint PRIMARY KEY REFERENCES appeal (id),
  client_id      bigint NOT NULL REFERENCES open311_client (id),
  token          text NOT NULL UNIQUE,
  lat            double precision CHECK (lat BETWEEN -90 AND 90),
  long           double precision CHECK (long BETWEEN -180 AND 180),
  address_string text,
  address_id     text,
  -- How the place was found: address_id, address (a name in the address string), or none
  -- (the appeal waits at its district or street for someone to pick the community).
  placed_by      text NOT NULL CHECK (placed_by IN ('address_id', 'address', 'none')),
  attributes     jsonb NOT NULL DEFAULT '{}'::jsonb,
  media_url      text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX open311_request_client_idx ON open311_request (client_id);

-- servicerequestupdates lists the steps taken on appeals since a time. Partial: an import
-- writes only 'imported' events, so a million-row import never touches this index.
CREATE INDEX appeal_event_step_at_idx ON appeal_event (at) WHERE type <> 'imported';
