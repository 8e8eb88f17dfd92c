import type { Generated, ColumnType } from 'kysely';

/** Table types of every domain, as Kysely sees them. Keep in step with the migrations. */
export interface Tables {
  division: DivisionTable;
  community_profile: CommunityProfileTable;
  audit_log: AuditLogTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
}

export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

export interface DivisionTable {
  code: string;
  level: DivisionLevel;
  name: string;
  short_name: string;
  initials: string;
  parent_code: string | null;
  full_code: ColumnType<string, never, never>;
}

export interface CommunityProfileTable {
  community_code: string;
  residents: number | null;
  households: number | null;
  buildings: number | null;
  notes: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: ColumnType<unknown, string, never>;
}

export interface AppUserTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_code: string;
  cadre_id: number | null;
  unit_name: string | null;
  disabled_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface UserSessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: Date;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
