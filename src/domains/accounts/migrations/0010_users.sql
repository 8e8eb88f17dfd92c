-- Users, each with one role bound to one division scope (city, district, street or community).
CREATE TABLE app_user (
  id            bigserial PRIMARY KEY,
  login         text NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'org_department', 'hotline_office', 'street_office',
                                             'community_committee', 'secretary', 'department_handler', 'viewer')),
  scope_code    text NOT NULL REFERENCES division (code),
  -- A secretary is linked to a cadre and a department handler to a unit once those registries exist.
  cadre_id      bigint,
  unit_name     text,
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- The id is the SHA-256 of the cookie's token, so a leaked table holds no usable session.
CREATE TABLE user_session (
  id           text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Tokens for machine clients (a hotline system pushing work orders); stored hashed, shown once.
CREATE TABLE api_token (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
