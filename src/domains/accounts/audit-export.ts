import type { Kysely } from 'kysely';
import { csvRow } from '../../csv.ts';
import type { Tables } from '../../db/tables.ts';
import { listAudit, type AuditFilter } from './queries.ts';

const BATCH = 1000;

/**
 * The audit log as CSV, read in batches so that the whole table is never held in memory.
 * Starts with a BOM so that Excel opens the Chinese text as UTF-8.
 */
export async function* auditCsv(db: Kysely<Tables>, filter: AuditFilter): AsyncGenerator<string> {
  yield '\uFEFFid,时间 at,操作人 actor,操作 action,对象类型 entity_type,对象 entity_id,变更 changes\n';
  let before: number | undefined;
  for (;;) {
    const rows = await listAudit(db, filter, { limit: BATCH, before });
    if (rows.length === 0) return;
    // Through the shared writer: a failed login records the name as typed, which anyone can choose.
    yield `${rows.map((r) => csvRow([r.id, r.at, r.actor, r.action, r.entity_type, r.entity_id, r.changes])).join('\n')}\n`;
    if (rows.length < BATCH) return;
    before = rows[rows.length - 1]!.id;
  }
}
