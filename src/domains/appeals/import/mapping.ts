import { invalid } from '../../../errors.ts';

/**
 * Which column of an export holds which field. A hotline export names its columns in Chinese and
 * every district office names a few differently, so each field lists the headers it may go by;
 * the first that the file has is used. A source's saved mapping replaces the lists it names.
 */
export const importFields = [
  'ticketNo',
  'receivedAt',
  'kind',
  'category',
  'description',
  'channel',
  'district',
  'street',
  'community',
  'communityCode',
  'address',
  'reporterName',
  'reporterPhone',
  'urgency',
  'historical',
  'dispatchedUnit',
  'dispatchedAt',
  'respondedAt',
  'handledAt',
  'contacted',
  'solved',
  'satisfaction',
  'callbackAt',
  'closedAt',
] as const;
export type ImportField = (typeof importFields)[number];

export const defaultHeaders: Record<ImportField, readonly string[]> = {
  ticketNo: ['工单编号', '工单号', '诉求编号', '编号'],
  receivedAt: ['受理时间', '来电时间', '登记时间', '创建时间'],
  kind: ['诉求类型', '工单类型', '来电类型'],
  category: ['问题分类', '诉求分类', '问题类型', '分类'],
  description: ['诉求内容', '问题描述', '来电内容', '内容'],
  channel: ['来源渠道', '受理渠道', '渠道'],
  district: ['所属区', '所属区县', '区县', '区'],
  street: ['所属街道', '所属街乡', '街道', '街乡镇'],
  community: ['所属社区', '社区', '所属村居', '社区（村）'],
  communityCode: ['社区编码', '社区代码', '区划代码'],
  address: ['地址', '诉求地址', '事发地址', '问题地址'],
  reporterName: ['来电人', '联系人', '诉求人', '姓名'],
  reporterPhone: ['联系电话', '来电号码', '电话'],
  urgency: ['紧急程度', '是否紧急'],
  historical: ['是否历史遗留', '历史遗留问题'],
  dispatchedUnit: ['派单单位', '承办单位', '主办单位'],
  dispatchedAt: ['派单时间'],
  respondedAt: ['响应时间', '首次联系时间'],
  handledAt: ['办理时间', '答复时间', '办理完成时间'],
  contacted: ['是否响应', '是否联系'],
  solved: ['是否解决'],
  satisfaction: ['满意度', '是否满意'],
  callbackAt: ['回访时间'],
  closedAt: ['办结时间', '结案时间'],
};

/** The headers the generator writes and a hand-made file is easiest to start from. */
export const canonicalHeaders: Record<ImportField, string> = Object.fromEntries(
  importFields.map((field) => [field, defaultHeaders[field][0]!]),
) as Record<ImportField, string>;

/** Each field's name in the proposal, the preview's selects and the messages. */
export const fieldLabels: Record<ImportField, { zh: string; en: string }> = {
  ticketNo: { zh: '工单编号', en: 'ticket number' },
  receivedAt: { zh: '受理时间', en: 'received at' },
  kind: { zh: '诉求类型（投诉、求助…）', en: 'kind (complaint, help…)' },
  category: { zh: '问题分类', en: 'category' },
  description: { zh: '诉求内容', en: 'description' },
  channel: { zh: '来源渠道', en: 'channel' },
  district: { zh: '所属区', en: 'district' },
  street: { zh: '所属街道', en: 'street' },
  community: { zh: '所属社区', en: 'community' },
  communityCode: { zh: '社区编码', en: 'community code' },
  address: { zh: '地址', en: 'address' },
  reporterName: { zh: '来电人', en: 'reporter' },
  reporterPhone: { zh: '联系电话', en: 'phone' },
  urgency: { zh: '紧急程度', en: 'urgency' },
  historical: { zh: '是否历史遗留', en: 'historical' },
  dispatchedUnit: { zh: '派单单位', en: 'dispatched to' },
  dispatchedAt: { zh: '派单时间', en: 'dispatched at' },
  respondedAt: { zh: '响应时间', en: 'responded at' },
  handledAt: { zh: '办理时间', en: 'handled at' },
  contacted: { zh: '是否响应', en: 'contacted' },
  solved: { zh: '是否解决', en: 'solved' },
  satisfaction: { zh: '满意度', en: 'satisfaction' },
  callbackAt: { zh: '回访时间', en: 'callback at' },
  closedAt: { zh: '办结时间', en: 'closed at' },
};

/** A column's role as a person confirmed it: a field, or 'ignore' (the column is not read). */
export type ColumnRole = ImportField | 'ignore';

export function isColumnRole(value: unknown): value is ColumnRole {
  return value === 'ignore' || (importFields as readonly unknown[]).includes(value);
}

export interface ImportMapping {
  fields: Record<ImportField, readonly string[]>;
  /**
   * Roles confirmed for this source's columns, by header (as normalizeHeader writes it): they stand
   * over the header lists and over what the values suggest.
   */
  columns: Record<string, ColumnRole>;
  /** Category names of this source's exports → appeal_category codes, tried before the names of the tree. */
  categories: Record<string, string>;
}

export const defaultMapping: ImportMapping = { fields: defaultHeaders, columns: {}, categories: {} };

/** A saved or uploaded mapping: `fields` entries replace the default's lists, one header or several. */
export interface MappingOverride {
  fields?: Partial<Record<string, string | string[]>>;
  /** Header → role, as the preview's selects (or a mapping file) confirm them. */
  columns?: Record<string, string>;
  categories?: Record<string, string>;
}

export function mergeMapping(override: MappingOverride | undefined): ImportMapping {
  if (!override) return defaultMapping;
  const fields: Record<string, readonly string[]> = { ...defaultHeaders };
  const errors: Array<{ field: string; message: string }> = [];
  for (const [field, headers] of Object.entries(override.fields ?? {})) {
    if (!(importFields as readonly string[]).includes(field)) {
      errors.push({ field: `mapping.fields.${field}`, message: `没有字段 ${field}，可用：${importFields.join(', ')} / no field ${field}` });
      continue;
    }
    const list = (Array.isArray(headers) ? headers : [headers]).filter((h): h is string => typeof h === 'string' && h.trim() !== '');
    if (list.length === 0) errors.push({ field: `mapping.fields.${field}`, message: '须给出列名 / give a header' });
    else fields[field] = list;
  }
  const columns: Record<string, ColumnRole> = {};
  for (const [header, role] of Object.entries(override.columns ?? {})) {
    const key = normalizeHeader(header);
    if (key === '') continue;
    if (!isColumnRole(role)) {
      errors.push({
        field: `mapping.columns.${header}`,
        message: `没有字段 ${String(role)}，可用：ignore, ${importFields.join(', ')} / no field ${String(role)}`,
      });
      continue;
    }
    columns[key] = role;
  }
  const taken = Object.entries(columns).filter(([, role]) => role !== 'ignore');
  for (const field of new Set(taken.map(([, role]) => role))) {
    const headers = taken.filter(([, role]) => role === field).map(([h]) => h);
    if (headers.length > 1)
      errors.push({
        field: `mapping.columns`,
        message: `${headers.join('、')} 都被设为 ${field}，每个字段只能对应一列 / several columns for ${field}`,
      });
  }
  if (errors.length > 0) throw invalid('列映射有误', 'Invalid column mapping', errors);
  return { fields: fields as Record<ImportField, readonly string[]>, columns, categories: { ...(override.categories ?? {}) } };
}

/** Headers as exports write them: full-width forms, stray spaces, a required-field star, a BOM. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').replace(/[\s*＊\uFEFF]/g, '');
}

export type ColumnIndex = Partial<Record<ImportField, number>>;

/** Where each field sits in a header row; undefined for fields the file does not have. */
export function locateColumns(header: readonly string[], mapping: ImportMapping): ColumnIndex {
  const positions = new Map<string, number>();
  header.forEach((name, i) => {
    const key = normalizeHeader(name);
    if (key && !positions.has(key)) positions.set(key, i);
  });
  const index: ColumnIndex = {};
  // Roles confirmed for this source first; the columns they name are no other field's.
  const confirmed = new Set<number>();
  for (const [key, at] of positions) {
    const role = mapping.columns[key];
    if (role === undefined) continue;
    confirmed.add(at);
    if (role !== 'ignore') index[role] = at;
  }
  for (const field of importFields) {
    if (index[field] !== undefined) continue;
    for (const name of mapping.fields[field]) {
      const at = positions.get(normalizeHeader(name));
      if (at !== undefined && !confirmed.has(at)) {
        index[field] = at;
        break;
      }
    }
  }
  return index;
}

/** How many of a row's cells name a known field: the header row is the first with several. */
export function headerScore(cells: readonly string[], mapping: ImportMapping): number {
  return Object.keys(locateColumns(cells, mapping)).length;
}
