import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { allows } from '../../http/abilities.ts';
import { randomToken } from '../accounts/secrets.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { appendEvent, createAppeal, listCategories } from '../appeals/service.ts';
import { kinds, urgencies } from '../appeals/schemas.ts';
import type { AppealKind, Urgency } from '../../db/tables.ts';
import type { EventInput } from '../appeals/schemas.ts';
import { naturalCode } from '../geo/codes.ts';
import { findDivision, placesWithin } from '../geo/queries.ts';
import { fromAppError, list, open311Error, Open311Error, type Tree, type TreeObject } from './format.ts';
import { authenticateKey, KeyRateLimit } from './keys.ts';
import { Locator } from './locate.ts';
import { presentRequest, presentUpdate, requestList, updateId, w3cTime } from './present.ts';
import * as q from './queries.ts';

type Db = Kysely<Tables>;

/** Parameters as a client sent them: query string and form body, each name once or repeated. */
export type Params = Record<string, string | string[] | undefined>;

/** One per app: the database, the places of each jurisdiction read once, the keys' counters. */
export class Open311 {
  private readonly locators = new Map<string, Promise<Locator>>();
  readonly limits = new KeyRateLimit<number>();
  /** Public reads per client address, across every Open311 resource. */
  readonly readLimits = new KeyRateLimit<string>();
  /** When the service list last changed, as far as clients can tell: this process's start. */
  readonly changeset = new Date();

  constructor(readonly db: Db) {}

  locator(jurisdiction: string): Promise<Locator> {
    let locator = this.locators.get(jurisdiction);
    if (!locator) {
      locator = placesWithin(this.db, jurisdiction).then((rows) => new Locator(jurisdiction, rows));
      locator.catch(() => this.locators.delete(jurisdiction));
      this.locators.set(jurisdiction, locator);
    }
    return locator;
  }
}

const bad = (field: string, zh: string, en: string) => open311Error(400, `${field}：${zh}`, `${field}: ${en}`);

function one(params: Params, name: string): string | undefined {
  const value = params[name];
  const text = Array.isArray(value) ? value[value.length - 1] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/** A parameter given once or several times, its values comma-joined (status=open&status=closed = status=open,closed). */
function joined(params: Params, name: string): string | undefined {
  const value = params[name];
  const text = [value ?? []]
    .flat()
    .map((v) => v.trim())
    .filter(Boolean)
    .join(',');
  return text === '' ? undefined : text;
}

/** The city is the default jurisdiction; any loaded province, city, district or street may be named. */
export async function jurisdictionOf(db: Db, params: Params): Promise<string> {
  const raw = one(params, 'jurisdiction_id') ?? '11';
  const code = naturalCode(raw);
  const division = code && code.length <= 9 ? await findDivision(db, code) : undefined;
  if (!division) {
    throw open311Error(
      404,
      `jurisdiction_id“${raw}”不存在：应为市、区或街道的区划代码（如 11、110106）`,
      `jurisdiction_id "${raw}" was not found: use the division code of the city, a district or a street (such as 11 or 110106)`,
    );
  }
  return division.code;
}

// ── discovery and services ──────────────────────────────────────────────────────────────────

export function discovery(ctx: Open311, baseUrl: string): TreeObject {
  const changeset = w3cTime(ctx.changeset);
  return {
    changeset,
    contact: '必答题 mustanswer 管理员 / the mustanswer administrator',
    key_service:
      '提交诉求须使用管理员签发的 api_key（系统管理 → Open311 客户端）/ Filing needs an api_key issued by an administrator (Administration → Open311 clients)',
    endpoints: list('endpoint', [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${baseUrl}/open311/v2/`,
        changeset,
        type: 'production',
        formats: list('format', ['text/xml', 'application/json']),
      },
    ]),
  };
}

export async function services(ctx: Open311): Promise<Tree> {
  const categories = await listCategories(ctx.db);
  const byCode = new Map(categories.map((c) => [c.code, c]));
  return list(
    'service',
    categories.map((c) => {
      const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
      const group = parent ?? c;
      return {
        service_code: c.code,
        service_name: c.nameZh,
        description: parent ? `${c.nameEn} (${parent.nameEn})` : c.nameEn,
        metadata: true,
        type: 'realtime',
        keywords: [...new Set([c.nameZh, c.nameEn, ...(parent ? [parent.nameZh, parent.nameEn] : [])])].join(', '),
        group: group.nameZh,
      };
    }),
  );
}

const kindNames: Record<AppealKind, string> = {
  complaint: '投诉',
  help: '求助',
  consultation: '咨询',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
};
const urgencyNames: Record<Urgency, string> = { normal: '一般', urgent: '紧急' };

export async function serviceDefinition(ctx: Open311, serviceCode: string): Promise<TreeObject> {
  const categories = await listCategories(ctx.db);
  if (!categories.some((c) => c.code === serviceCode)) {
    throw open311Error(404, `没有服务 service_code“${serviceCode}”`, `No service with service_code "${serviceCode}"`);
  }
  return {
    service_code: serviceCode,
    attributes: list('attribute', [
      {
        variable: true,
        code: 'kind',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '不填为投诉 / complaint when not given',
        order: 1,
        description: '诉求类型 / Kind of request',
        values: list(
          'value',
          kinds.map((k) => ({ key: k, name: `${kindNames[k]} / ${k}` })),
        ),
      },
      {
        variable: true,
        code: 'urgency',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '不填为一般 / normal when not given',
        order: 2,
        description: '紧急程度 / Urgency',
        values: list(
          'value',
          urgencies.map((u) => ({ key: u, name: `${urgencyNames[u]} / ${u}` })),
        ),
      },
    ]),
  };
}

// ── reading requests ────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 90;
const LIMIT = 1000;

function parseTime(params: Params, field: string): Date | undefined {
  const text = one(params, field);
  if (text === undefined) return undefined;
  // W3C datetimes with a zone; a bare date is that day in Beijing.
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(text);
  const at = ok ? new Date(/T/.test(text) ? text : `${text}T00:00:00+08:00`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw bad(
      field,
      `“${text}”不是带时区的 W3C 日期时间（如 2023-03-01T09:00:00+08:00）`,
      `"${text}" is not a W3C datetime with a zone (such as 2023-03-01T09:00:00+08:00)`,
    );
  }
  return at;
}

function integerOf(params: Params, field: string, min: number, max: number): number | undefined {
  const text = one(params, field);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw bad(field, `应为 ${min} 到 ${max} 的整数`, `must be a whole number from ${min} to ${max}`);
  return value;
}

/** The spec's default: the 90 days up to now, or 90 days from one end given; never more than 90. */
function window(params: Params, now: Date): { from: Date; to: Date } {
  const start = parseTime(params, 'start_date');
  const end = parseTime(params, 'end_date');
  const to = end ?? (start ? new Date(Math.min(now.getTime(), start.getTime() + WINDOW_DAYS * DAY_MS)) : now);
  const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
  if (from > to) throw bad('end_date', '早于 start_date', 'is before start_date');
  if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY_MS)
    throw bad('end_date', '与 start_date 相隔不能超过 90 天', 'may not be more than 90 days after start_date');
  return { from, to };
}

export async function listRequests(ctx: Open311, params: Params, now = new Date()): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const ids = joined(params, 'service_request_id');
  if (ids !== undefined) {
    const ticketNos = [
      ...new Set(
        ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ticketNos.length > LIMIT) throw bad('service_request_id', `一次最多 ${LIMIT} 个`, `at most ${LIMIT} at once`);
    const rows = await q.listPublic(ctx.db, { jurisdiction, ticketNos }, LIMIT);
    return requestList(rows.map((row) => presentRequest(row)));
  }
  const serviceCode = one(params, 'service_code');
  if (serviceCode !== undefined && !(await listCategories(ctx.db)).some((c) => c.code === serviceCode)) {
    throw bad('service_code', `没有服务“${serviceCode}”`, `no service "${serviceCode}"`);
  }
  const statusText = joined(params, 'status');
  const wanted =
    statusText === undefined
      ? []
      : [
          ...new Set(
            statusText
              .toLowerCase()
              .split(',')
              .map((s) => s.trim()),
          ),
        ];
  if (wanted.some((s) => s !== 'open' && s !== 'closed'))
    throw bad('status', `“${statusText}”应为 open 或 closed`, `"${statusText}" must be open or closed`);
  const status = wanted.length === 1 ? (wanted[0] as 'open' | 'closed') : undefined;
  const { from, to } = window(params, now);
  // The pagination extension most servers implement: page from 1, page_size up to the spec's 1000.
  const pageSize = integerOf(params, 'page_size', 1, LIMIT) ?? LIMIT;
  const page = integerOf(params, 'page', 1, 1_000_000) ?? 1;
  const rows = await q.listPublic(ctx.db, { jurisdiction, serviceCode, status, from, to }, pageSize, (page - 1) * pageSize);
  return requestList(rows.map((row) => presentRequest(row)));
}

export async function getRequest(ctx: Open311, params: Params, ticketNo: string): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const row = await q.findPublic(ctx.db, jurisdiction, ticketNo);
  if (!row)
    throw open311Error(
      404,
      `辖区 ${jurisdiction} 内没有请求 ${ticketNo}`,
      `No service request ${ticketNo} in jurisdiction ${jurisdiction}`,
    );
  return requestList([presentRequest(row)]);
}

export async function getToken(ctx: Open311, params: Params, token: string): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const row = await q.findTicketByToken(ctx.db, token);
  const place = row ? (row.community_code ?? row.street_code ?? row.district_code) : '';
  if (!row || !place.startsWith(jurisdiction))
    throw open311Error(404, `辖区 ${jurisdiction} 内没有令牌 ${token}`, `No token ${token} in jurisdiction ${jurisdiction}`);
  return requestList([{ service_request_id: row.ticket_no, token }]);
}

export async function listUpdates(ctx: Open311, params: Params, now = new Date()): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const { from, to } = window(params, now);
  const rows = await q.listUpdates(ctx.db, { jurisdiction, from, to, ticketNo: one(params, 'service_request_id') }, LIMIT);
  return list('request_update', rows.map(presentUpdate));
}

// ── writing: a key, its role, its limit ─────────────────────────────────────────────────────

/** Who a key acts as: the viewer the appeals see, and the client application it was issued to. */
export interface KeyHolder {
  viewer: Viewer;
  clientId: number;
}

/** The key's holder, when the key is live, its role may take `action`, and it is under its limit. */
export async function keyHolder(ctx: Open311, params: Params, action: string): Promise<KeyHolder> {
  const apiKey = one(params, 'api_key');
  if (apiKey === undefined) throw open311Error(401, '缺少 api_key', 'api_key is required');
  const auth = await authenticateKey(ctx.db, apiKey);
  if (!auth) throw open311Error(403, 'api_key 无效或已吊销', 'The api_key is invalid or revoked');
  if (!allows(auth.viewer.role, action)) {
    throw open311Error(
      403,
      `此 api_key 的角色（${auth.viewer.role}）无权执行 ${action}`,
      `This api_key's role (${auth.viewer.role}) may not ${action}`,
    );
  }
  const taken = ctx.limits.take(auth.client.id, auth.client.per_minute);
  if (!taken.ok) {
    throw new RateLimited(taken.retryAfter, auth.client.per_minute);
  }
  return { viewer: auth.viewer, clientId: auth.client.id };
}

export class RateLimited extends Open311Error {
  constructor(
    readonly retryAfter: number,
    perMinute: number,
    who: 'key' | 'address' = 'key',
  ) {
    super(
      429,
      who === 'key'
        ? `请求过于频繁：此 api_key 每分钟最多 ${perMinute} 次，请 ${retryAfter} 秒后再试 / Too many requests: this api_key may make ${perMinute} a minute; retry in ${retryAfter} s`
        : `请求过于频繁：每个地址每分钟最多查询 ${perMinute} 次，请 ${retryAfter} 秒后再试 / Too many requests: ${perMinute} reads a minute per address; retry in ${retryAfter} s`,
    );
  }
}

/** Public reads per client address per minute, counted over every Open311 resource together. */
export const READS_PER_MINUTE = 600;

export function takeRead(ctx: Open311, address: string, now = Date.now()): void {
  const taken = ctx.readLimits.take(address, READS_PER_MINUTE, now);
  if (!taken.ok) throw new RateLimited(taken.retryAfter, READS_PER_MINUTE, 'address');
}

function attribute(params: Params, code: string): string | undefined {
  return one(params, `attribute[${code}]`);
}

const numberOf = (params: Params, field: string, min: number, max: number): number | undefined => {
  const text = one(params, field);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^[-+]?\d+(\.\d+)?$/.test(text) || value < min || value > max)
    throw bad(field, `“${text}”应为 ${min} 到 ${max} 之间的数`, `"${text}" must be a number from ${min} to ${max}`);
  return value;
};

/** Runs a call into the appeals, turning their refusals into the spec's errors. */
async function appeals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw fromAppError(error);
    throw error;
  }
}

export async function createRequest(ctx: Open311, params: Params, { viewer, clientId }: KeyHolder): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const serviceCode = one(params, 'service_code');
  if (serviceCode === undefined) throw bad('service_code', '必填', 'is required');
  const category = (await listCategories(ctx.db)).find((c) => c.code === serviceCode);
  if (!category) throw bad('service_code', `没有服务“${serviceCode}”`, `no service "${serviceCode}"`);

  const lat = numberOf(params, 'lat', -90, 90);
  const long = numberOf(params, 'long', -180, 180);
  if ((lat === undefined) !== (long === undefined))
    throw bad(lat === undefined ? 'lat' : 'long', 'lat 与 long 须同时给出', 'lat and long go together');
  const addressString = one(params, 'address_string');
  const addressId = one(params, 'address_id');
  if (lat === undefined && addressString === undefined && addressId === undefined) {
    throw bad(
      'lat',
      '须给出位置：lat 和 long、address_string 或 address_id',
      'give a location: lat and long, address_string or address_id',
    );
  }
  if (addressString !== undefined && addressString.length > 500) throw bad('address_string', '最长 500 个字符', 'at most 500 characters');
  const description = one(params, 'description');
  if (description !== undefined && description.length > 4000) throw bad('description', '最长 4000 个字符', 'at most 4000 characters');
  const kind = attribute(params, 'kind') ?? 'complaint';
  if (!(kinds as readonly string[]).includes(kind)) throw bad('attribute[kind]', `可选 ${kinds.join(', ')}`, `one of ${kinds.join(', ')}`);
  const urgency = attribute(params, 'urgency') ?? 'normal';
  if (!(urgencies as readonly string[]).includes(urgency))
    throw bad('attribute[urgency]', `可选 ${urgencies.join(', ')}`, `one of ${urgencies.join(', ')}`);
  const mediaUrl = one(params, 'media_url');
  if (mediaUrl !== undefined && (mediaUrl.length > 1000 || !/^https?:\/\/[^\s]+$/i.test(mediaUrl) || !URL.canParse(mediaUrl))) {
    throw bad('media_url', '应为 http(s) 网址', 'must be an http(s) URL');
  }
  const phone = one(params, 'phone');
  if (phone !== undefined && !/^[0-9+\- ()]{3,30}$/.test(phone))
    throw bad('phone', '只能含数字、空格和 +-()', 'digits, spaces and +-() only');
  const first = one(params, 'first_name');
  const last = one(params, 'last_name');
  // 张 三 → 张三 in Chinese order; Latin names keep first then last.
  const cjk = /[\u3400-\u9fff]/.test(`${first ?? ''}${last ?? ''}`);
  const reporterName = first || last ? (cjk ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ')).slice(0, 50) : null;

  const located = (await ctx.locator(jurisdiction)).locate({ addressId, addressString, hasPoint: lat !== undefined });
  if ('field' in located) throw bad(located.field, located.zh, located.en);

  const place = located.communityCode
    ? { communityCode: located.communityCode }
    : located.streetCode
      ? { streetCode: located.streetCode }
      : { districtCode: located.districtCode };
  const token = randomToken(18);
  const attributes = Object.fromEntries(
    Object.keys(params)
      .filter((k) => /^attribute\[[^\]]+\]/.test(k))
      .map((k) => [k.slice(10, k.indexOf(']')), params[k]]),
  );
  // The request's row goes in with the appeal, in its transaction: no appeal without its token.
  const appeal = await appeals(() =>
    createAppeal(
      ctx.db,
      {
        channel: 'open311',
        kind: kind as AppealKind,
        categoryCode: category.code,
        description:
          description ??
          `${category.nameZh}（经 Open311 提交，未附描述）/ ${category.nameEn} (filed through Open311 without a description)`,
        address: addressString ?? null,
        ...place,
        reporterName,
        reporterPhone: phone ?? null,
        urgency: urgency as Urgency,
      },
      viewer,
      {
        alongside: (trx, appealId) =>
          q.insertRequest(trx, {
            appeal_id: appealId,
            client_id: clientId,
            token,
            lat: lat ?? null,
            long: long ?? null,
            address_string: addressString ?? null,
            address_id: addressId ?? null,
            placed_by: located.placedBy,
            attributes: JSON.stringify(attributes),
            media_url: mediaUrl ?? null,
          }),
      },
    ),
  );
  const row = await q.findPublic(ctx.db, jurisdiction, appeal.ticketNo);
  const notice = located.communityCode
    ? `已受理，工单号 ${appeal.ticketNo} / Received as ${appeal.ticketNo}`
    : `已受理，工单号 ${appeal.ticketNo}；未能确定所在社区，暂记在${appeal.streetName ?? appeal.districtName}，待工作人员确认 / Received as ${appeal.ticketNo}; its community could not be told from the location, so it waits at ${appeal.streetCode ?? appeal.districtCode} for staff to place it`;
  return requestList([{ ...presentRequest(row!, { serviceNotice: notice }), token, account_id: null }]);
}

/**
 * An update from a client, as the appeal's next step: `closed` closes it; `open` reopens a
 * closed (or called-back) appeal, or takes the handler's next step on an open one — respond
 * when dispatched, handle (with the description as the result) when responded. The key's role
 * must allow that step, as a user's would.
 */
export async function postUpdate(ctx: Open311, params: Params, { viewer }: KeyHolder, now = new Date()): Promise<Tree> {
  const jurisdiction = await jurisdictionOf(ctx.db, params);
  const ticketNo = one(params, 'service_request_id');
  if (ticketNo === undefined) throw bad('service_request_id', '必填', 'is required');
  const statusText = one(params, 'status')?.toLowerCase();
  if (statusText !== 'open' && statusText !== 'closed') throw bad('status', '应为 open 或 closed', 'must be open or closed');
  const description = one(params, 'description');
  if (description === undefined) throw bad('description', '必填', 'is required');
  if (description.length > 2000) throw bad('description', '最长 2000 个字符', 'at most 2000 characters');
  const at = parseTime(params, 'updated_datetime');

  const appeal = await q.findAppealIdByTicket(ctx.db, ticketNo);
  const place = appeal ? (appeal.community_code ?? appeal.street_code ?? appeal.district_code) : '';
  if (!appeal || !place.startsWith(jurisdiction))
    throw open311Error(
      404,
      `辖区 ${jurisdiction} 内没有请求 ${ticketNo}`,
      `No service request ${ticketNo} in jurisdiction ${jurisdiction}`,
    );

  const base = { expectedVersion: appeal.version, ...(at ? { at: at.toISOString() } : {}) };
  let step: EventInput;
  if (statusText === 'closed') step = { ...base, type: 'close', note: description };
  else if (appeal.status === 'closed' || appeal.status === 'called_back') step = { ...base, type: 'reopen', reason: description };
  else if (appeal.status === 'dispatched') step = { ...base, type: 'respond', note: description };
  else if (appeal.status === 'responded') step = { ...base, type: 'handle', result: description };
  else {
    throw open311Error(
      409,
      `请求 ${ticketNo} 当前无可记录的进展（状态 ${appeal.status}）`,
      `Request ${ticketNo} has no step to record now (status ${appeal.status})`,
    );
  }
  const updated = await appeals(() => appendEvent(ctx.db, appeal.id, step, viewer, { now }));
  const update = await q.findUpdate(ctx.db, ticketNo, updated.version);
  return list('request_update', [{ ...presentUpdate(update!), update_id: updateId(ticketNo, updated.version) }]);
}
