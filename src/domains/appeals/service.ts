import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, conflict, invalid, notFound, type FieldError } from '../../errors.ts';
import { recordAudit } from '../accounts/audit.ts';
import { inScope, type Viewer } from '../accounts/viewer.ts';
import { naturalCode } from '../geo/codes.ts';
import { findDivisionNames } from '../geo/queries.ts';
import { shanghaiYear } from '../../shared/dates.ts';
import { cursorProblem } from '../../shared/paging.ts';
import { categoryLineage, dueTimes, pickRule } from './deadlines.ts';
import { allowedSteps, applyEvent, replay, type AppealEvent, type AppealState, type Outcome, type Step } from './lifecycle.ts';
import { mayTake, requireAction, requireOwnUnit, stepActions } from './policy.ts';
import { decodeCursor, encodeCursor, eventOfRow, presentAppeal, presentEvent, stateOfRow } from './present.ts';
import * as q from './queries.ts';
import type { AppealDetail, AppealInput, AppealListInput, AppealPage, Category, EventInput } from './schemas.ts';
import { queryWords, searchWords } from './search.ts';
import { transact } from '../../db/transaction.ts';
import { overdueAt } from '../evaluation/rollup-delta.ts';
import { fileAppeal } from './filing-queue.ts';
import { writeStep } from './step-queue.ts';

type Db = Kysely<Tables>;

export interface ReadOptions {
  /** Show reporters' names and phones unmasked: the caller decides, with policy.maySeePersonalData. */
  personalData?: boolean | undefined;
  /** The clock, for overdue flags; tests pass their own. */
  now?: Date | undefined;
}

/** Clocks drift; a step stamped a little ahead of the server is still "now". */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function listCategories(db: Db): Promise<Category[]> {
  const rows = await q.listCategories(db);
  return rows.map((r) => ({ code: r.code, parentCode: r.parent_code, nameZh: r.name_zh, nameEn: r.name_en, sort: r.sort }));
}

/** The most specific place an appeal names; scope is a prefix of it. */
function placeOf(row: Pick<q.AppealRow, 'community_code' | 'street_code' | 'district_code'>): string {
  return row.community_code ?? row.street_code ?? row.district_code;
}

async function findVisible(db: Db, id: number, viewer: Viewer): Promise<q.AppealRow> {
  const row = await q.findAppeal(db, id);
  // Outside the viewer's scope looks exactly like absent: the id says nothing about other districts.
  if (!row || !inScope(viewer, placeOf(row))) throw notFound(`未找到诉求 ${id}`, `No appeal with id ${id}`);
  return row;
}

/** The reporter's name and phone unmasked, for a role whose work needs them; each look is logged. */
export async function revealReporter(
  db: Db,
  id: number,
  viewer: Viewer,
): Promise<{ reporterName: string | null; reporterPhone: string | null }> {
  requireAction(viewer, 'appeal.reveal_reporter');
  return db.transaction().execute(async (trx) => {
    const row = await findVisible(trx, id, viewer);
    await recordAudit(trx, {
      actor: viewer.actor,
      action: 'appeal.reveal_reporter',
      entityType: 'appeal',
      entityId: String(id),
      changes: {},
    });
    return { reporterName: row.reporter_name, reporterPhone: row.reporter_phone };
  });
}

/** Whether requireOwnUnit lets the viewer take `step` now: the page offers only steps that would be taken. */
function ownUnitAllows(viewer: Viewer, state: AppealState, step: Step): boolean {
  try {
    requireOwnUnit(viewer, state.dispatchedUnit, step);
    return true;
  } catch {
    return false;
  }
}

export async function getAppeal(db: Db, id: number, viewer: Viewer, options: ReadOptions = {}): Promise<AppealDetail> {
  requireAction(viewer, 'appeal.read');
  const row = await findVisible(db, id, viewer);
  const events = await q.listEvents(db, id);
  const now = options.now ?? new Date();
  const state = stateOfRow(row);
  return {
    ...presentAppeal(row, { personalData: options.personalData ?? false, now }),
    events: events.map(presentEvent),
    nextSteps: allowedSteps(state).filter((step) => mayTake(viewer, stepActions[step]) && ownUnitAllows(viewer, state, step)),
  };
}

interface Place {
  community_code: string | null;
  street_code: string | null;
  district_code: string;
}

type PlaceField = 'communityCode' | 'streetCode' | 'districtCode';

/**
 * The place the input names, read from its codes alone: the community fixes its street and
 * district; without one, the street or the district is the place. Whether the divisions exist is
 * for the database (the filing's foreign keys; refusalOf names the one that does not).
 */
function placeOfInput(input: AppealInput, errors: FieldError[]): (Place & { field: PlaceField }) | undefined {
  const levels = [
    ['communityCode', 12, '社区（村）', 'community'],
    ['streetCode', 9, '街道（乡镇）', 'street'],
    ['districtCode', 6, '区', 'district'],
  ] as const;
  const given = levels.flatMap(([field, length, zh, en]) => {
    const raw = input[field];
    if (raw === undefined) return [];
    const code = naturalCode(raw);
    if (code?.length !== length) {
      errors.push({ field, message: `“${raw}”不是${zh}代码 / "${raw}" is not a ${en} code` });
      return [];
    }
    return [{ field, code }];
  });
  if (given.length === 0) {
    if (!errors.some((e) => e.field.endsWith('Code'))) {
      errors.push({ field: 'communityCode', message: '须提供社区、街道或区代码 / give a community, street or district code' });
    }
    return undefined;
  }
  const most = given[0]!;
  for (const other of given.slice(1)) {
    if (!most.code.startsWith(other.code)) {
      errors.push({ field: other.field, message: `${other.code} 与 ${most.code} 不符 / ${other.code} does not contain ${most.code}` });
    }
  }
  return {
    field: most.field,
    community_code: most.code.length === 12 ? most.code : null,
    street_code: most.code.length >= 9 ? most.code.slice(0, 9) : null,
    district_code: most.code.slice(0, 6),
  };
}

/**
 * What the database knows is wrong with a filing, added to `errors` (found from the input alone),
 * as one 400 naming every field, or nothing when all is well: a category or division that does
 * not exist, a duplicate of an appeal the viewer cannot see. Asked before the filing only when
 * the input already has an error, names another appeal, or lies outside the viewer's scope;
 * otherwise only after the filing's statement was refused by a foreign key.
 */
async function refusalOf(
  db: Db,
  input: AppealInput,
  viewer: Viewer,
  place: (Place & { field: PlaceField }) | undefined,
  errors: FieldError[],
): Promise<AppError | undefined> {
  const found = [...errors];
  if (!(await q.findCategory(db, input.categoryCode))) {
    found.push({ field: 'categoryCode', message: `没有分类 ${input.categoryCode} / no category ${input.categoryCode}` });
  }
  const code = place ? placeOf(place) : undefined;
  if (place && code && (await findDivisionNames(db, [code])).length === 0) {
    const [zh, en] = {
      communityCode: ['社区（村）', 'community'],
      streetCode: ['街道（乡镇）', 'street'],
      districtCode: ['区', 'district'],
    }[place.field];
    found.push({ field: place.field, message: `没有${zh}代码 ${code} / no ${en} with code ${code}` });
  }
  if (input.duplicateOf != null) {
    const original = await q.findAppeal(db, input.duplicateOf);
    if (!original || !inScope(viewer, placeOf(original))) {
      found.push({ field: 'duplicateOf', message: `没有诉求 ${input.duplicateOf} / no appeal ${input.duplicateOf}` });
    }
  }
  return found.length > 0 ? invalid('诉求信息有误', 'Invalid appeal', found) : undefined;
}

function ticketYear(now: Date): string {
  return shanghaiYear(now);
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';
const isForeignKeyViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23503';

export interface CreateOptions extends ReadOptions {
  /** The caller's own rows about the new appeal (Open311 keeps its request), written in the same transaction. */
  alongside?: ((trx: Transaction<Tables>, appealId: number) => Promise<void>) | undefined;
}

export async function createAppeal(db: Db, input: AppealInput, viewer: Viewer, options: CreateOptions = {}): Promise<AppealDetail> {
  requireAction(viewer, 'appeal.create');
  const now = options.now ?? new Date();
  const errors: FieldError[] = [];
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    errors.push({ field: 'receivedAt', message: '受理时间无效或在将来 / received time is invalid or in the future' });
  }
  if (input.ticketNo?.toUpperCase().startsWith('MA-')) {
    errors.push({ field: 'ticketNo', message: 'MA- 开头的编号由系统生成 / numbers starting with MA- are generated here' });
  }
  const located = placeOfInput(input, errors);
  if (errors.length > 0 || !located || input.duplicateOf != null || !inScope(viewer, placeOf(located))) {
    const refusal = await refusalOf(db, input, viewer, located, errors);
    if (refusal) throw refusal;
  }
  if (!located) throw invalid('诉求信息有误', 'Invalid appeal', errors);
  const { field: _given, ...place } = located;
  if (!inScope(viewer, placeOf(place))) {
    throw new AppError('forbidden', '该地点不在您的管辖范围内', 'That place is outside your division scope');
  }

  const intake: AppealEvent = { type: 'received', at: receivedAt, actor: viewer.actor, data: {} };
  const outcome = applyEvent(undefined, intake);
  if (!outcome.ok) throw conflict(outcome.reason.zh, outcome.reason.en);
  const row = {
    ticket_no: input.ticketNo ?? null,
    channel: input.channel,
    received_at: receivedAt,
    kind: input.kind,
    category_code: input.categoryCode,
    description: input.description.trim(),
    address: input.address?.trim() || null,
    ...place,
    reporter_name: input.reporterName?.trim() || null,
    reporter_phone: input.reporterPhone?.trim() || null,
    urgency: input.urgency ?? 'normal',
    historical: input.historical ?? false,
    duplicate_of: input.duplicateOf ?? null,
    ...q.stateColumns(outcome.state),
    search_words: searchWords(input.description, input.address),
    overdue_counted: overdueAt(outcome.state, now),
    created_by: viewer.actor,
  } satisfies q.Filing['row'];
  const filing: q.Filing = { row, ticketYear: ticketYear(now) };

  // The appeal, its event, queue place, audit entry and rollup counts: one statement, shared with
  // appeals filed at the same moment (filing-queue.ts), so a filing holds no connection between
  // round trips. Only a caller with rows of its own needs a transaction.
  const file = async (db: Db | Transaction<Tables>) => {
    try {
      return q.filedOf(await fileAppeal(db, filing));
    } catch (error) {
      // A hotline ticket filed twice (at once, or again): the unique index decides, the later gets 409.
      if (isUniqueViolation(error) && input.ticketNo) throw duplicateTicket(input.ticketNo);
      // A category or division that does not exist: said as the field that names it.
      if (isForeignKeyViolation(error)) throw (await refusalOf(db, input, viewer, located, [])) ?? error;
      throw error;
    }
  };
  const alongside = options.alongside;
  const stored = alongside
    ? await transact(db, async (trx) => {
        const filed = await file(trx);
        await alongside(trx, filed.appeal.id);
        return filed;
      })
    : await file(db);
  // Answered from what the statement wrote and joined, not read back.
  return {
    ...presentAppeal(stored.appeal, { personalData: options.personalData ?? false, now }),
    events: [presentEvent(stored.event)],
    nextSteps: allowedSteps(outcome.state).filter((step) => mayTake(viewer, stepActions[step])),
  };
}

const duplicateTicket = (ticketNo: string) =>
  conflict(`工单编号 ${ticketNo} 已存在`, `An appeal with ticket number ${ticketNo} already exists`);

const stale = (current: number, expected: number) =>
  conflict(
    `诉求已被他人更新（当前版本 ${current}，您提交的是 ${expected}），请刷新后重试`,
    `The appeal was changed by someone else (now version ${current}, you sent ${expected}); reload and try again`,
  );

/** Which input fields each step takes; the rest would be silently dropped, so they are refused. */
const stepFields: Record<Step, ReadonlyArray<keyof EventInput>> = {
  dispatch: ['unit', 'note'],
  return: ['reason', 'note'],
  respond: ['note'],
  handle: ['result', 'note'],
  callback: ['contacted', 'solved', 'satisfaction', 'note'],
  close: ['note'],
  reopen: ['reason', 'to', 'note'],
};
const common: ReadonlyArray<keyof EventInput> = ['type', 'expectedVersion', 'at'];

function checkStepInput(input: EventInput): void {
  const errors: FieldError[] = [];
  const allowed = new Set([...common, ...stepFields[input.type]]);
  for (const key of Object.keys(input) as Array<keyof EventInput>) {
    if (!allowed.has(key) && input[key] !== undefined)
      errors.push({ field: key, message: `${input.type} 不使用此项 / not used by ${input.type}` });
  }
  const need = (field: keyof EventInput, ok: boolean, message: string) => {
    if (!ok) errors.push({ field, message });
  };
  if (input.type === 'dispatch') need('unit', input.unit !== undefined, '须指明承办单位 / name the unit');
  if (input.type === 'return' || input.type === 'reopen') need('reason', Boolean(input.reason?.trim()), '须说明理由 / give the reason');
  if (input.type === 'handle') need('result', Boolean(input.result?.trim()), '须写明办理结果 / state what was done');
  if (input.type === 'callback') {
    need('contacted', input.contacted !== undefined, '须说明是否联系上 / say whether the resident was reached');
    if (input.contacted) {
      need('solved', typeof input.solved === 'boolean', '联系上时须记录是否解决 / record whether it was solved');
      need('satisfaction', typeof input.satisfaction === 'string', '联系上时须记录满意度 / record satisfaction');
    } else if (input.contacted === false) {
      need('solved', input.solved == null, '未联系上时不能记录 / cannot be recorded without contact');
      need('satisfaction', input.satisfaction == null, '未联系上时不能记录 / cannot be recorded without contact');
    }
  }
  if (errors.length > 0) throw invalid('步骤信息有误', 'Invalid step', errors);
}

/** The event a step input becomes, with due times from deadline_rule where the step starts a clock. */
async function eventFor(db: Db, row: q.AppealRow, state: AppealState, input: EventInput, at: Date, actor: string): Promise<AppealEvent> {
  const note = input.note?.trim() ? { note: input.note.trim() } : {};
  const due = async () => {
    const rules = await q.findDeadlineRules(db, categoryLineage(row.category_code));
    const times = dueTimes(at, pickRule(rules, row.category_code, row.urgency));
    return { responseDueAt: times.responseDueAt.toISOString(), handlingDueAt: times.handlingDueAt.toISOString() };
  };
  const base = { at, actor };
  switch (input.type) {
    case 'dispatch':
      return {
        ...base,
        type: 'dispatch',
        data: { unit: { name: input.unit!.name.trim(), type: input.unit!.type }, ...(await due()), ...note },
      };
    case 'return':
      return { ...base, type: 'return', data: { reason: input.reason!.trim(), ...note } };
    case 'respond':
      return { ...base, type: 'respond', data: { ...note } };
    case 'handle':
      return { ...base, type: 'handle', data: { result: input.result!.trim(), ...note } };
    case 'callback':
      return {
        ...base,
        type: 'callback',
        data: { contacted: input.contacted!, solved: input.solved ?? null, satisfaction: input.satisfaction ?? null, ...note },
      };
    case 'close':
      return { ...base, type: 'close', data: { ...note } };
    case 'reopen': {
      const to = input.to ?? (state.dispatchedUnit ? 'dispatched' : 'received');
      return { ...base, type: 'reopen', data: { to, reason: input.reason!.trim(), ...(to === 'dispatched' ? await due() : {}), ...note } };
    }
  }
}

/** How often a step is tried again when the sweep or a manual match moved its appeal in between. */
const STEP_ATTEMPTS = 5;

/**
 * Takes one step: appends its event, stores the state it leads to and counts the change in the
 * rollups, as one statement, only if the appeal is still as it was read (its version first of
 * all: optimistic, with no lock held between round trips). Stale version or illegal step: 409
 * with the reason.
 */
export async function appendEvent(db: Db, id: number, input: EventInput, viewer: Viewer, options: ReadOptions = {}): Promise<AppealDetail> {
  checkStepInput(input);
  const now = options.now ?? new Date();
  const at = input.at ? new Date(input.at) : now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw invalid('步骤时间无效或在将来', 'The step time is invalid or in the future', [
      { field: 'at', message: '不能晚于现在 / cannot be in the future' },
    ]);
  }
  for (let attempt = 1; ; attempt++) {
    const row = await findVisible(db, id, viewer);
    // After the lookup: an appeal the viewer cannot see is 404 whatever the step.
    requireAction(viewer, stepActions[input.type]);
    const state = stateOfRow(row);
    requireOwnUnit(viewer, state.dispatchedUnit, input.type);
    if (row.version !== input.expectedVersion) throw stale(row.version, input.expectedVersion);
    const event = await eventFor(db, row, state, input, at, viewer.actor);
    const outcome = applyEvent(state, event);
    if (!outcome.ok) throw conflict(outcome.reason.zh, outcome.reason.en);
    const overdue = overdueAt(outcome.state, now);
    const changes = { seq: outcome.state.version, status: { from: state.status, to: outcome.state.status }, ...event.data };
    const events = await writeStep(db, {
      row,
      read: row,
      state: outcome.state,
      overdueCounted: overdue,
      event: { type: event.type, at, actor: viewer.actor, data: event.data },
      audit: { action: `appeal.${event.type}`, changes },
    });
    if (events.length === 0) {
      // Another step won (the version moved: 409), or the sweep or a manual match changed what the
      // rollups count of it in between: read it again and take the step on what it is now.
      if (attempt >= STEP_ATTEMPTS) throw stale(input.expectedVersion + 1, input.expectedVersion);
      continue;
    }
    // Answered from the row read and what was written, not read back.
    const after: q.AppealRow = { ...row, ...q.stateColumns(outcome.state), overdue_counted: overdue };
    return {
      ...presentAppeal(after, { personalData: options.personalData ?? false, now }),
      events: events.map(presentEvent),
      nextSteps: allowedSteps(outcome.state).filter(
        (step) => mayTake(viewer, stepActions[step]) && ownUnitAllows(viewer, outcome.state, step),
      ),
    };
  }
}

/** The stored state next to the state its events replay to; they must be equal. */
export async function replayStored(db: Db, id: number): Promise<{ stored: AppealState; replayed: Outcome }> {
  const row = await q.findAppeal(db, id);
  if (!row) throw notFound(`未找到诉求 ${id}`, `No appeal with id ${id}`);
  const events = await q.listEvents(db, id);
  return { stored: stateOfRow(row), replayed: replay(events.map(eventOfRow)) };
}

const SHANGHAI = '+08:00';
/** A list counts its matches up to here and says "10,000+" beyond: the count then costs the same at any size. */
export const TOTAL_CAP = 10_000;
const DAY_MS = 86_400_000;

/** A bare date is a day in Beijing time; a time with a zone is that instant. */
function parseBound(text: string, field: string, errors: FieldError[]): { at: Date; isDay: boolean } | undefined {
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = new Date(isDay ? `${text}T00:00:00${SHANGHAI}` : text);
  if (Number.isNaN(at.getTime())) {
    errors.push({ field, message: `“${text}”不是有效日期 / "${text}" is not a valid date` });
    return undefined;
  }
  return { at, isDay };
}

export async function listAppeals(db: Db, input: AppealListInput, viewer: Viewer, options: ReadOptions = {}): Promise<AppealPage> {
  requireAction(viewer, 'appeal.read');
  const now = options.now ?? new Date();
  const limit = input.limit ?? 50;
  const errors: FieldError[] = [];
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  if (input.cursor !== undefined && !after) errors.push({ ...cursorProblem });
  const division = input.division === undefined ? undefined : naturalCode(input.division);
  if (input.division !== undefined && !division)
    errors.push({ field: 'division', message: '应为 2、4、6、9 或 12 位区划代码 / a 2, 4, 6, 9 or 12-digit division code' });
  if (input.category !== undefined && !(await q.findCategory(db, input.category))) {
    errors.push({ field: 'category', message: `没有分类 ${input.category} / no category ${input.category}` });
  }
  const from = input.receivedFrom === undefined ? undefined : parseBound(input.receivedFrom, 'receivedFrom', errors);
  const to = input.receivedTo === undefined ? undefined : parseBound(input.receivedTo, 'receivedTo', errors);
  // A day "to" runs to the end of that day; a time "to" includes that instant (up to its last microsecond).
  const before = to && new Date(to.at.getTime() + (to.isDay ? DAY_MS : 1));
  if (from && before && from.at >= before) errors.push({ field: 'receivedTo', message: '止日期早于起日期 / ends before it starts' });
  if (errors.length > 0) throw invalid('查询条件有误', 'Invalid filters', errors);

  const text = input.q?.trim();
  const filter: q.AppealFilter = {
    scope: viewer.scopeCode,
    division,
    category: input.category,
    kinds: input.kind,
    statuses: input.status,
    urgency: input.urgency,
    overdue: input.overdue === undefined ? undefined : { at: now, is: input.overdue },
    receivedFrom: from?.at,
    receivedBefore: before,
    text: text ? { words: queryWords(text), ticketNo: text } : undefined,
  };
  const [rows, total] = await Promise.all([q.listAppeals(db, filter, limit, after), q.countAppeals(db, filter, TOTAL_CAP)]);
  const last = rows.length === limit ? rows[rows.length - 1] : undefined;
  return {
    items: rows.map((row) => presentAppeal(row, { personalData: options.personalData ?? false, now })),
    nextCursor: last ? encodeCursor(last) : null,
    total: Math.min(total, TOTAL_CAP),
    totalCapped: total > TOTAL_CAP,
  };
}
