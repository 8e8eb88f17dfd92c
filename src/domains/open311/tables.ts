import type { ColumnType, Generated } from 'kysely';

/**
 * The Open311 domain's tables as Kysely sees them (migrations/0100_open311.sql). Its queries see
 * them beside every other table through `withTables`, so the shared table list stays as it is.
 */
export type Open311Tables = {
  open311_client: Open311ClientTable;
  open311_request: Open311RequestTable;
};

export type Open311Role = 'hotline_office' | 'street_office' | 'community_committee' | 'department_handler';
export type PlacedBy = 'address_id' | 'address' | 'none';

export type Open311ClientTable = {
  id: Generated<number>;
  name: string;
  contact: string | null;
  role: Open311Role;
  scope_code: string;
  key_hash: string;
  key_prefix: string;
  per_minute: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
};

export type Open311RequestTable = {
  appeal_id: number;
  client_id: number;
  token: string;
  lat: number | null;
  long: number | null;
  address_string: string | null;
  address_id: string | null;
  placed_by: PlacedBy;
  attributes: ColumnType<unknown, string, never>;
  media_url: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};
