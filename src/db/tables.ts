import type { Generated, ColumnType } from 'kysely';

/** Table types of every domain, as Kysely sees them. Keep in step with the migrations. */
export interface Tables {
  division: DivisionTable;
  community_profile: CommunityProfileTable;
  audit_log: AuditLogTable;
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
