import type { CategoryResolver } from './categories.ts';
import type { Cell, RawRow } from './files.ts';
import {
  fieldLabels,
  importFields,
  locateColumns,
  normalizeHeader,
  type ColumnIndex,
  type ImportField,
  type ImportMapping,
} from './mapping.ts';
import { isProblem, type Gazetteer } from './places.ts';
import { bad, parseKind, parseSatisfaction, parseTime, parseUrgency, parseYesNo } from './values.ts';

/**
 * What an import makes of a file before it writes anything: each column's role, with the
 * evidence (its header, and what share of its values read as times, kinds, categories, streets…),
 * the district of rows that name none, and what stops the file from being imported at all. The
 * same proposal drives the import (so the preview shows what will happen) and is shown by the web
 * page and the CLI first.
 */

/** Rows read to decide: enough to see a column's values, few enough to cost nothing. */
export const SAMPLE_ROWS = 200;
/** Rows of the sample the preview shows. */
const PREVIEW_ROWS = 5;

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ColumnProposal {
  index: number;
  header: string;
  role: ImportField | null;
  /** Why: the saved mapping, the header, the values, or nothing fitting. */
  by: 'saved' | 'header' | 'values' | 'none';
  evidence: Bilingual;
  /** A few distinct values, as the file has them. */
  samples: string[];
}

export interface PlaceInference {
  /** Sampled rows that name no district (no 所属区 value and no default district). */
  withoutDistrict: number;
  /** Where those rows were placed, by district. */
  districts: Array<{ code: string; name: string; rows: number }>;
  /** Rows of the sample whose name has namesakes in several districts: the unmatched queue, or refused. */
  ambiguous: Array<{ rowNo: number; reason: Bilingual }>;
  /** Rows of the sample that cannot be placed at all. */
  unplaced: Array<{ rowNo: number; reason: Bilingual }>;
}

export interface ImportProposal {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  /** The row the header was found on (1 = first), after any title rows. */
  headerRow: number;
  columns: ColumnProposal[];
  /** The first rows, as text, for the preview table. */
  preview: Array<{ rowNo: number; cells: string[] }>;
  sampledRows: number;
  places: PlaceInference;
  /** Notes that do not stop the import (a column set aside, a role taken from values). */
  notes: Bilingual[];
  /** What stops it: each names the column and the fix. Empty when the file can be imported. */
  problems: Array<{ field: string; zh: string; en: string }>;
  /** The field → column index the import reads by. */
  index: ColumnIndex;
}

export interface InferInput {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headerRow: number;
  header: readonly string[];
  sample: readonly RawRow[];
  mapping: ImportMapping;
  gazetteer: Gazetteer;
  categories: CategoryResolver;
  defaultDistrict: string | undefined;
  now: Date;
}

const text = (cell: Cell | undefined): string =>
  cell === undefined ? '' : typeof cell === 'string' ? cell : cell instanceof Date ? cell.toISOString() : String(cell);

interface Profile {
  filled: number;
  times: number;
  kinds: number;
  categories: number;
  yesNo: number;
  satisfaction: number;
  urgency: number;
  districts: number;
  streets: number;
  communities: number;
  samples: string[];
  maxLength: number;
}

const EARLIEST = Date.UTC(1990, 0, 1);

/** What share of a column's values read as each kind of value. */
function profile(input: InferInput, at: number): Profile {
  const p: Profile = {
    filled: 0,
    times: 0,
    kinds: 0,
    categories: 0,
    yesNo: 0,
    satisfaction: 0,
    urgency: 0,
    districts: 0,
    streets: 0,
    communities: 0,
    samples: [],
    maxLength: 0,
  };
  const latest = input.now.getTime() + 86_400_000;
  for (const row of input.sample) {
    const cell = row.cells[at];
    const value = text(cell);
    if (value === '') continue;
    p.filled++;
    p.maxLength = Math.max(p.maxLength, value.length);
    if (p.samples.length < 4 && !p.samples.includes(value)) p.samples.push(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    const time = parseTime(cell ?? '');
    if (time !== bad && time !== undefined && time.getTime() >= EARLIEST && time.getTime() <= latest) p.times++;
    const kind = parseKind(value);
    if (kind !== bad && kind !== undefined) p.kinds++;
    // Categories are short names; a description mentions a category without being one.
    if (value.length <= 24 && input.categories.recognizes(value)) p.categories++;
    if (parseYesNo(value) !== bad) p.yesNo++;
    if (parseSatisfaction(value) !== bad) p.satisfaction++;
    if (parseUrgency(value) !== bad) p.urgency++;
    if (value.length <= 16) {
      if (input.gazetteer.districtHits(value) > 0) p.districts++;
      if (input.gazetteer.streetHits(value) > 0) p.streets++;
      if (input.gazetteer.communityHits(value) > 0) p.communities++;
    }
  }
  return p;
}

const share = (n: number, p: Profile) => (p.filled === 0 ? 0 : n / p.filled);
const pct = (n: number, p: Profile) => `${n}/${p.filled}`;

/** The evidence a column's values give for a role, in words. */
function valueEvidence(field: ImportField, p: Profile): Bilingual | undefined {
  const counts: Partial<Record<ImportField, [number, string, string]>> = {
    receivedAt: [p.times, '可读为时间', 'read as times'],
    dispatchedAt: [p.times, '可读为时间', 'read as times'],
    respondedAt: [p.times, '可读为时间', 'read as times'],
    handledAt: [p.times, '可读为时间', 'read as times'],
    callbackAt: [p.times, '可读为时间', 'read as times'],
    closedAt: [p.times, '可读为时间', 'read as times'],
    kind: [p.kinds, '是诉求类型（投诉、求助、咨询…）', 'are kinds (投诉, 求助, 咨询…)'],
    category: [p.categories, '是问题分类', 'are categories'],
    contacted: [p.yesNo, '是“是/否”', 'are yes/no'],
    solved: [p.yesNo, '是“是/否”', 'are yes/no'],
    historical: [p.yesNo, '是“是/否”', 'are yes/no'],
    satisfaction: [p.satisfaction, '是满意度', 'are satisfaction levels'],
    urgency: [p.urgency, '是紧急程度', 'are urgency levels'],
    district: [p.districts, '是区名', 'are district names'],
    street: [p.streets, '是本市街道名', 'are street names of the province'],
    community: [p.communities, '是本市社区名', 'are community names of the province'],
  };
  const c = counts[field];
  if (!c || p.filled === 0) return undefined;
  return { zh: `样本中 ${pct(c[0], p)} 个值${c[1]}`, en: `${pct(c[0], p)} sampled values ${c[2]}` };
}

/** Roles read from values alone, for columns whose header says nothing: only values that cannot be much else. */
const BY_VALUES: Array<{ field: ImportField; count: (p: Profile) => number }> = [
  { field: 'receivedAt', count: (p) => p.times },
  { field: 'kind', count: (p) => p.kinds },
  { field: 'category', count: (p) => p.categories },
  { field: 'satisfaction', count: (p) => p.satisfaction },
  { field: 'district', count: (p) => p.districts },
  { field: 'street', count: (p) => p.streets },
  { field: 'community', count: (p) => p.communities },
];

const REQUIRED: ImportField[] = ['ticketNo', 'receivedAt', 'description'];
const PLACE_FIELDS: ImportField[] = ['district', 'street', 'community', 'communityCode'];
const TIME_FIELDS: ImportField[] = ['receivedAt', 'dispatchedAt', 'respondedAt', 'handledAt', 'callbackAt', 'closedAt'];

export function inferImport(input: InferInput): ImportProposal {
  const { header, mapping } = input;
  const byHeader = locateColumns(header, mapping);
  const profiles = header.map((_, at) => profile(input, at));
  const role = new Map<number, { field: ImportField | null; by: ColumnProposal['by']; evidence: Bilingual }>();
  const notes: Bilingual[] = [];
  const saved = (at: number) => mapping.columns[normalizeHeader(header[at] ?? '')] !== undefined;
  const label = (f: ImportField) => fieldLabels[f];
  const name = (at: number) => header[at] || `第 ${at + 1} 列`;

  for (const field of importFields) {
    const at = byHeader[field];
    if (at === undefined) continue;
    const from = saved(at) ? 'saved' : 'header';
    const values = valueEvidence(field, profiles[at]!);
    const why: Bilingual =
      from === 'saved'
        ? { zh: `已确认的映射（表头“${name(at)}”）`, en: `confirmed mapping (header "${name(at)}")` }
        : { zh: `表头“${name(at)}”`, en: `header "${name(at)}"` };
    role.set(at, { field, by: from, evidence: values ? { zh: `${why.zh}；${values.zh}`, en: `${why.en}; ${values.en}` } : why });
  }
  for (const [key, r] of Object.entries(mapping.columns)) {
    if (r !== 'ignore') continue;
    const at = header.findIndex((h) => normalizeHeader(h) === key);
    if (at >= 0) role.set(at, { field: null, by: 'saved', evidence: { zh: '已确认的映射：不导入', en: 'confirmed mapping: not read' } });
  }
  const columnOf = (field: ImportField) => [...role].find(([, r]) => r.field === field)?.[0];

  // A header that means something else in another office: 诉求类型 holding categories, 问题分类 holding kinds.
  const swap = (from: ImportField, to: ImportField, ok: (p: Profile) => number, other: (p: Profile) => number) => {
    const at = columnOf(from);
    if (at === undefined || role.get(at)!.by === 'saved') return;
    const p = profiles[at]!;
    if (p.filled === 0 || share(ok(p), p) >= 0.5 || share(other(p), p) < 0.6) return;
    const held = columnOf(to);
    const heldBetter = held !== undefined && share(other(profiles[held]!), profiles[held]!) >= share(other(p), p);
    const evidence: Bilingual = {
      zh: `表头“${name(at)}”通常是${label(from).zh}，但样本中 ${pct(other(p), p)} 个值是${label(to).zh}、${pct(ok(p), p)} 个是${label(from).zh}`,
      en: `header "${name(at)}" usually means ${label(from).en}, but ${pct(other(p), p)} sampled values are ${label(to).en} and ${pct(ok(p), p)} ${label(from).en}`,
    };
    if (heldBetter) {
      role.set(at, {
        field: null,
        by: 'values',
        evidence: {
          zh: `${evidence.zh}；问题分类已由“${name(held)}”列提供，本列不导入`,
          en: `${evidence.en}; ${label(to).en} comes from "${name(held)}", this column is not read`,
        },
      });
      notes.push({ zh: `“${name(at)}”列不导入：${evidence.zh}`, en: `Column "${name(at)}" is not read: ${evidence.en}` });
      return;
    }
    if (held !== undefined)
      role.set(held, {
        field: null,
        by: 'values',
        evidence: { zh: `${label(to).zh}改由“${name(at)}”列提供`, en: `${label(to).en} is read from "${name(at)}" instead` },
      });
    role.set(at, { field: to, by: 'values', evidence });
    notes.push({
      zh: `“${name(at)}”列按其值读作${label(to).zh}：${evidence.zh}`,
      en: `Column "${name(at)}" is read as ${label(to).en} by its values: ${evidence.en}`,
    });
  };
  swap(
    'kind',
    'category',
    (p) => p.kinds,
    (p) => p.categories,
  );
  swap(
    'category',
    'kind',
    (p) => p.categories,
    (p) => p.kinds,
  );

  // A kind column whose values are neither kinds nor categories would refuse every row: set it aside.
  const kindAt = columnOf('kind');
  if (kindAt !== undefined && role.get(kindAt)!.by !== 'saved') {
    const p = profiles[kindAt]!;
    if (p.filled > 0 && share(p.kinds, p) < 0.5) {
      const evidence = {
        zh: `样本中只有 ${pct(p.kinds, p)} 个值是诉求类型（投诉、求助、咨询…），本列不导入，诉求类型记为投诉`,
        en: `only ${pct(p.kinds, p)} sampled values are kinds; the column is not read and appeals count as complaints`,
      };
      role.set(kindAt, { field: null, by: 'values', evidence });
      notes.push({ zh: `“${name(kindAt)}”列：${evidence.zh}`, en: `Column "${name(kindAt)}": ${evidence.en}` });
    }
  }

  // Columns no header names: a role from values that can hardly be anything else.
  for (let at = 0; at < header.length; at++) {
    if (role.has(at)) continue;
    const p = profiles[at]!;
    const free = BY_VALUES.filter(
      ({ field }) => columnOf(field) === undefined && (field !== 'receivedAt' || /时间|日期/.test(header[at] ?? '')),
    );
    // Place names only where the file names no place at all; a time only for a header that says time.
    const pick = free.find(
      ({ field, count }) =>
        p.filled >= 3 &&
        share(count(p), p) >= 0.8 &&
        (!PLACE_FIELDS.includes(field) || PLACE_FIELDS.every((f) => columnOf(f) === undefined)),
    );
    if (pick) {
      const evidence = valueEvidence(pick.field, p)!;
      role.set(at, {
        field: pick.field,
        by: 'values',
        evidence: { zh: `表头“${name(at)}”不认识；${evidence.zh}`, en: `unknown header "${name(at)}"; ${evidence.en}` },
      });
      notes.push({
        zh: `“${name(at)}”列按其值读作${label(pick.field).zh}`,
        en: `Column "${name(at)}" is read as ${label(pick.field).en} by its values`,
      });
    }
  }

  const index: ColumnIndex = {};
  for (const [at, r] of role) if (r.field) index[r.field] = at;

  const problems: ImportProposal['problems'] = [];
  const columnsSeen = header
    .filter(Boolean)
    .map((h) => `“${h}”`)
    .join('、');
  for (const field of REQUIRED) {
    if (index[field] !== undefined) continue;
    problems.push({
      field,
      zh: `找不到${label(field).zh}列（可用的表头：${mapping.fields[field].join('、')}；文件的列：${columnsSeen}）。请把该列表头改为“${mapping.fields[field][0]}”，或在预览中为它选择“${label(field).zh}”（命令行：--mapping 中写 {"columns": {"列名": "${field}"}}）`,
      en: `No ${label(field).en} column (headers it may go by: ${mapping.fields[field].join(', ')}; the file has ${header.filter(Boolean).join(', ')}). Rename its header to ${mapping.fields[field][0]}, or pick "${label(field).en}" for it in the preview (CLI: --mapping with {"columns": {"header": "${field}"}})`,
    });
  }
  // A time column that mostly does not read as times would refuse row after row: one message instead.
  for (const field of TIME_FIELDS) {
    const at = index[field];
    if (at === undefined) continue;
    const p = profiles[at]!;
    if (p.filled >= 3 && share(p.times, p) < 0.5) {
      problems.push({
        field,
        zh: `“${name(at)}”列被读作${label(field).zh}，但样本中只有 ${pct(p.times, p)} 个值是时间（如“${p.samples[0] ?? ''}”）。请检查该列，或在预览中为${label(field).zh}选择另一列${field === 'receivedAt' ? '' : '、或将本列设为不导入'}`,
        en: `Column "${name(at)}" is read as ${label(field).en}, but only ${pct(p.times, p)} sampled values are times (e.g. "${p.samples[0] ?? ''}"). Check the column, or pick another column for ${label(field).en} in the preview${field === 'receivedAt' ? '' : ', or set this one not to be read'}`,
      });
    }
  }

  const places = inferPlaces(input, index);
  if (!PLACE_FIELDS.some((f) => index[f] !== undefined) && !input.defaultDistrict) {
    problems.push({
      field: 'district',
      zh: `找不到所属区、所属街道、所属社区或社区编码列（文件的列：${columnsSeen}），也未选择默认区。请加一列所属区或所属街道，或选择默认区（命令行 --district）`,
      en: `No district, street, community or community code column (the file has ${header.filter(Boolean).join(', ')}) and no default district. Add a 所属区 or 所属街道 column, or choose a default district (CLI: --district)`,
    });
  } else if (places.withoutDistrict > 0 && places.unplaced.length === places.withoutDistrict && places.withoutDistrict >= 3) {
    // Not one sampled row could be placed: every row would be refused for the same reason.
    problems.push({
      field: 'district',
      zh: `样本中 ${places.withoutDistrict} 行都无法确定所属区（如第 ${places.unplaced[0]!.rowNo} 行：${places.unplaced[0]!.reason.zh}）。请加所属区列，或选择默认区（命令行 --district）`,
      en: `None of the ${places.withoutDistrict} sampled rows can be placed in a district (row ${places.unplaced[0]!.rowNo}: ${places.unplaced[0]!.reason.en}). Add a 所属区 column or choose a default district (CLI: --district)`,
    });
  }

  const columns: ColumnProposal[] = header.map((h, at) => {
    const r = role.get(at);
    const p = profiles[at]!;
    return {
      index: at,
      header: h,
      role: r?.field ?? null,
      by: r?.by ?? 'none',
      evidence:
        r?.evidence ??
        (p.filled === 0
          ? { zh: '样本中为空，不导入', en: 'empty in the sample; not read' }
          : { zh: `表头“${name(at)}”不认识，不导入`, en: `unknown header "${name(at)}"; not read` }),
      samples: p.samples,
    };
  });
  return {
    format: input.format,
    encoding: input.encoding,
    headerRow: input.headerRow,
    columns,
    preview: input.sample.slice(0, PREVIEW_ROWS).map((row) => ({ rowNo: row.rowNo, cells: header.map((_, at) => text(row.cells[at])) })),
    sampledRows: input.sample.length,
    places,
    notes,
    problems,
    index,
  };
}

/**
 * Where the sampled rows that name no district lie: first without preference, then with the
 * districts the unambiguous rows showed preferred (the gazetteer keeps that preference for the import).
 */
function inferPlaces(input: InferInput, index: ColumnIndex): PlaceInference {
  const { gazetteer } = input;
  const cell = (row: RawRow, field: ImportField) => (index[field] === undefined ? '' : text(row.cells[index[field]!]));
  const rows = input.defaultDistrict ? [] : input.sample.filter((row) => cell(row, 'district') === '' && cell(row, 'communityCode') === '');
  const placeRow = (row: RawRow) => ({
    district: '',
    street: cell(row, 'street'),
    community: cell(row, 'community'),
    communityCode: '',
    address: cell(row, 'address'),
  });
  gazetteer.preferDistricts([]);
  const seen = new Set<string>();
  for (const row of rows) {
    const m = gazetteer.match(placeRow(row), undefined);
    if (!isProblem(m) && !m.unmatchedReason?.includes('同名')) seen.add(m.districtCode);
  }
  gazetteer.preferDistricts(seen);
  const byDistrict = new Map<string, number>();
  const ambiguous: PlaceInference['ambiguous'] = [];
  const unplaced: PlaceInference['unplaced'] = [];
  for (const row of rows) {
    const m = gazetteer.match(placeRow(row), undefined);
    if (isProblem(m)) {
      (m.zh.includes('同名') ? ambiguous : unplaced).push({ rowNo: row.rowNo, reason: { zh: m.zh, en: m.en } });
      continue;
    }
    byDistrict.set(m.districtCode, (byDistrict.get(m.districtCode) ?? 0) + 1);
    if (m.unmatchedReason?.includes('同名')) ambiguous.push({ rowNo: row.rowNo, reason: { zh: m.unmatchedReason, en: m.unmatchedReason } });
  }
  return {
    withoutDistrict: rows.length,
    districts: [...byDistrict].sort((a, b) => b[1] - a[1]).map(([code, n]) => ({ code, name: gazetteer.nameOf(code) ?? code, rows: n })),
    ambiguous,
    unplaced,
  };
}

/** The proposal's one-line-per-column account, as the CLI prints it. */
export function describeProposal(p: Omit<ImportProposal, 'index'>): string {
  const lines = [
    `推断 / inferred: ${p.format.toUpperCase()}${p.encoding ? `, ${p.encoding}` : ''}，表头在第 ${p.headerRow} 行 / header on row ${p.headerRow}，样本 ${p.sampledRows} 行 / sampled rows`,
  ];
  for (const c of p.columns) {
    const roleText = c.role ? `${fieldLabels[c.role].zh} ${c.role}` : '不导入 not read';
    lines.push(`  ${String(c.index + 1).padStart(2)}. ${c.header || '(空 empty)'} → ${roleText}  [${c.evidence.zh} / ${c.evidence.en}]`);
  }
  const pl = p.places;
  if (pl.withoutDistrict > 0) {
    lines.push(
      `  未写所属区的行 rows naming no district: ${pl.withoutDistrict}（样本 sample）→ ${pl.districts.map((d) => `${d.name} ${d.code}: ${d.rows}`).join('，') || '—'}`,
    );
    for (const a of pl.ambiguous.slice(0, 3)) lines.push(`    第 ${a.rowNo} 行 row ${a.rowNo}: ${a.reason.zh}`);
    for (const u of pl.unplaced.slice(0, 3)) lines.push(`    第 ${u.rowNo} 行 row ${u.rowNo}: ${u.reason.zh} / ${u.reason.en}`);
  }
  for (const n of p.notes) lines.push(`  注意 note: ${n.zh} / ${n.en}`);
  for (const e of p.problems) lines.push(`  无法导入 cannot import [${e.field}]: ${e.zh} / ${e.en}`);
  return lines.join('\n');
}
