import type { Selectable } from 'kysely';
import { csvDocument } from '../../../csv.ts';
import type { Tables } from '../../../db/tables.ts';
import type { ImportProblemView, ImportSummary, UnmatchedItem } from './schemas.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** An import as stored, without what only the import itself uses (the file's size and digest, the scope). */
export type ImportRecord = Omit<Selectable<Tables['appeal_import']>, 'file_bytes' | 'file_sha256' | 'scope_code'>;

export function presentImport(row: ImportRecord, problems: ImportProblemView[]): ImportSummary {
  return {
    id: row.id,
    fileName: row.file_name,
    source: row.source_name,
    format: row.format,
    encoding: row.encoding,
    districtCode: row.district_code,
    status: row.status,
    failure: row.failure,
    rowsTotal: row.rows_total,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    unmatched: row.unmatched,
    badRows: row.bad_rows,
    warnings: row.warnings,
    startedAt: row.started_at.toISOString(),
    finishedAt: iso(row.finished_at),
    importedBy: row.imported_by,
    problems,
    errorReportUrl: `/api/v1/appeal-imports/${row.id}/errors.csv`,
  };
}

/** A problem as stored, without the import it belongs to (its caller knows). */
export type ProblemRecord = Omit<Selectable<Tables['appeal_import_problem']>, 'import_id'>;

export function presentProblem(row: ProblemRecord): ImportProblemView {
  return {
    rowNo: row.row_no,
    column: row.column_name,
    value: row.value,
    ticketNo: row.ticket_no,
    severity: row.severity,
    reason: `${row.reason_zh} / ${row.reason_en}`,
  };
}

/** The error report: one line per problem, Chinese headers first, BOM so Excel reads UTF-8. */
export function problemsCsv(problems: readonly ImportProblemView[]): string {
  const header = ['行号 row', '列 column', '值 value', '工单编号 ticket', '级别 severity', '原因 reason'];
  // The shared writer neutralises cells a spreadsheet would run as formulas: values come from the uploaded file.
  return csvDocument(
    header,
    problems.map((p) => [p.rowNo, p.column, p.value, p.ticketNo, p.severity === 'error' ? '错误 error' : '警告 warning', p.reason]),
  );
}

export interface UnmatchedRecord {
  id: number;
  appeal_id: number;
  import_id: number | null;
  given_street: string | null;
  given_community: string | null;
  reason: string;
  created_at: Date;
  resolved_at?: Date | null;
  resolved_by?: string | null;
  ticket_no: string;
  received_at: Date;
  description: string;
  address: string | null;
  district_code: string;
  street_code: string | null;
  community_code?: string | null;
  district_name: string;
  street_name: string | null;
  community_name?: string | null;
  candidates: Array<{ code: string; name: string }>;
}

export function presentUnmatched(row: UnmatchedRecord): UnmatchedItem {
  return {
    id: row.id,
    appealId: row.appeal_id,
    importId: row.import_id,
    ticketNo: row.ticket_no,
    receivedAt: row.received_at.toISOString(),
    description: row.description,
    address: row.address,
    districtCode: row.district_code,
    districtName: row.district_name,
    streetCode: row.street_code,
    streetName: row.street_name,
    givenStreet: row.given_street,
    givenCommunity: row.given_community,
    reason: row.reason,
    candidates: row.candidates ?? [],
    communityCode: row.community_code ?? null,
    communityName: row.community_name ?? null,
    resolvedAt: iso(row.resolved_at),
    resolvedBy: row.resolved_by ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
