import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
}

/** Call inside the transaction of the change it records, so the two land or fail together. */
export async function recordAudit(db: Kysely<Tables> | Transaction<Tables>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      changes: JSON.stringify(entry.changes),
    })
    .execute();
}

/**
 * The audit entry of a change someone made (the viewer, or whoever `by` names), in the
 * transaction of the change: `auditBy(trx, viewer, 'cadre.update', 'cadre', id, changes)`.
 */
export function auditBy(
  db: Kysely<Tables> | Transaction<Tables>,
  by: { actor: string },
  action: string,
  entityType: string,
  entityId: string | number,
  changes: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(db, { actor: by.actor, action, entityType, entityId: String(entityId), changes });
}

/**
 * The audit entry of a write that is one statement (see evaluation's writeAndCountAll): an
 * INSERT … SELECT for the caller's CTE, one entry per row of the caller's CTE `source`, whose
 * id and changes the caller gives as SQL over that row (`changes` is merged over `entry.changes`).
 */
export function auditEach(
  entry: Omit<AuditEntry, 'entityId'>,
  source: string,
  entityId: RawBuilder<string>,
  changes: RawBuilder<unknown> = sql`'{}'::jsonb`,
): RawBuilder<unknown> {
  return sql`INSERT INTO audit_log (actor, action, entity_type, entity_id, changes)
    SELECT ${entry.actor}, ${entry.action}, ${entry.entityType}, ${entityId}, ${JSON.stringify(entry.changes)}::jsonb || ${changes}
    FROM ${sql.table(source)}`;
}

export async function listAuditFor(db: Kysely<Tables>, entityType: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
