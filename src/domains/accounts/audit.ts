import type { Kysely, Transaction } from 'kysely';
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

export async function listAuditFor(db: Kysely<Tables>, entityType: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
