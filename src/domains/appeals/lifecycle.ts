import { Type, type Static } from '@sinclair/typebox';
import type { AppealEventType, AppealStatus, Satisfaction, UnitType } from '../../db/tables.ts';

/**
 * An appeal's life as a fold over its events. Pure: no database, no clock. The service appends
 * an event only when `applyEvent` accepts it, and stores the state it returns; `replay` over the
 * stored events must give the stored row back (a test holds it to that).
 */

export const unitTypes = ['street_office', 'department', 'utility', 'company'] as const satisfies readonly UnitType[];

/**
 * Who an appeal was dispatched to: the name and handling type the hotline gives (its file has no
 * more). The registry of organizations (src/domains/units/) is not linked to dispatches: an
 * appeal keeps the name it was sent to, and carries no unit id. The schema stands here, not in
 * schemas.ts, because a dispatch event's data holds it and schemas.ts builds on this module.
 */
export const UnitSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: '承办单位名称 / unit name' }),
    type: Type.Unsafe<UnitType>({
      type: 'string',
      enum: [...unitTypes],
      description: '街道办、委办局、公共服务企业、其他企业 / street office, department, utility, company',
    }),
  },
  { additionalProperties: false },
);
export type Unit = Static<typeof UnitSchema>;

export interface AppealState {
  status: AppealStatus;
  /** The seq of the latest event; writers name it as expectedVersion. */
  version: number;
  lastEventAt: Date;
  dispatchedUnit: Unit | null;
  dispatchedAt: Date | null;
  responseDueAt: Date | null;
  handlingDueAt: Date | null;
  respondedAt: Date | null;
  handledAt: Date | null;
  /** The latest callback's answers; null until a callback is recorded. */
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  lastCallbackAt: Date | null;
  closedAt: Date | null;
}

/** Times inside event data are ISO strings, as they sit in appeal_event.data (jsonb). */
export interface EventDataByType {
  received: { note?: string };
  /** A hotline export's view of the outcome, taken whole (the import writes these). */
  imported: ImportedSnapshot;
  /** Due times are computed by the service from deadline_rule and kept in the event, so replay needs no rules. */
  dispatch: { unit: Unit; responseDueAt: string; handlingDueAt: string; note?: string };
  return: { reason: string; note?: string };
  respond: { note?: string };
  handle: { result: string; note?: string };
  callback: { contacted: boolean; solved: boolean | null; satisfaction: Satisfaction | null; note?: string };
  close: { note?: string };
  /** Back to the last unit (with fresh due times) or back to intake for a new dispatch. */
  reopen: { to: 'dispatched' | 'received'; reason: string; responseDueAt?: string; handlingDueAt?: string; note?: string };
}

export interface ImportedSnapshot {
  status: AppealStatus;
  dispatchedUnit: Unit | null;
  dispatchedAt: string | null;
  responseDueAt: string | null;
  handlingDueAt: string | null;
  respondedAt: string | null;
  handledAt: string | null;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  lastCallbackAt: string | null;
  closedAt: string | null;
}

export type AppealEvent = {
  [K in AppealEventType]: { type: K; at: Date; actor: string; data: EventDataByType[K] };
}[AppealEventType];

/** The steps people take on an existing appeal (intake and import are not steps). */
export type Step = Exclude<AppealEventType, 'received' | 'imported'>;
export const steps = ['dispatch', 'return', 'respond', 'handle', 'callback', 'close', 'reopen'] as const satisfies readonly Step[];

export interface Reason {
  zh: string;
  en: string;
}

export type Outcome = { ok: true; state: AppealState } | { ok: false; reason: Reason };

/** From which statuses each step may be taken. */
const legalFrom: Record<Step, readonly AppealStatus[]> = {
  dispatch: ['received', 'returned'],
  return: ['dispatched', 'responded'],
  respond: ['dispatched'],
  handle: ['responded'],
  callback: ['handled', 'called_back'],
  // From received: a consultation answered on the phone, or a duplicate, closes without dispatch.
  close: ['received', 'handled', 'called_back'],
  reopen: ['called_back', 'closed'],
};

export const statusNames: Record<AppealStatus, Reason> = {
  received: { zh: '已受理', en: 'received' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  returned: { zh: '已退单', en: 'returned' },
  responded: { zh: '已响应', en: 'responded' },
  handled: { zh: '已办理', en: 'handled' },
  called_back: { zh: '已回访', en: 'called back' },
  closed: { zh: '已办结', en: 'closed' },
};

export const stepNames: Record<Step, Reason> = {
  dispatch: { zh: '派单', en: 'dispatch' },
  return: { zh: '退单', en: 'return' },
  respond: { zh: '响应', en: 'respond' },
  handle: { zh: '办理', en: 'handle' },
  callback: { zh: '回访', en: 'record a callback' },
  close: { zh: '办结', en: 'close' },
  reopen: { zh: '重启', en: 'reopen' },
};

const fail = (zh: string, en: string): Outcome => ({ ok: false, reason: { zh, en } });

/** The steps the current state allows, for the web app's buttons. */
export function allowedSteps(state: AppealState): Step[] {
  return steps.filter((step) => legalFrom[step].includes(state.status));
}

export function isOverdue(state: Pick<AppealState, 'respondedAt' | 'responseDueAt' | 'handledAt' | 'handlingDueAt'>, now: Date): boolean {
  const late = (done: Date | null, due: Date | null) => done === null && due !== null && due.getTime() < now.getTime();
  return late(state.respondedAt, state.responseDueAt) || late(state.handledAt, state.handlingDueAt);
}

function time(iso: string | null | undefined): Date | null | 'bad' {
  if (iso === null || iso === undefined) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'bad' : date;
}

export function applyEvent(state: AppealState | undefined, event: AppealEvent): Outcome {
  if (Number.isNaN(event.at.getTime())) return fail('事件时间无效', 'The event time is invalid');
  if (!state) {
    if (event.type === 'received') return { ok: true, state: intake(event.at) };
    if (event.type === 'imported') return fromSnapshot(1, event.at, event.data);
    return fail('诉求的第一个事件必须是受理', 'The first event of an appeal must be its intake');
  }
  if (event.type === 'received') return fail('诉求已经受理过', 'The appeal has already been received');
  if (event.at.getTime() < state.lastEventAt.getTime()) {
    return fail(
      `事件时间 ${event.at.toISOString()} 早于上一步 ${state.lastEventAt.toISOString()}`,
      `The event time ${event.at.toISOString()} is before the previous step at ${state.lastEventAt.toISOString()}`,
    );
  }
  if (event.type === 'imported') return fromSnapshot(state.version + 1, event.at, event.data);

  if (!legalFrom[event.type].includes(state.status)) {
    const status = statusNames[state.status];
    const step = stepNames[event.type];
    const allowed = allowedSteps(state);
    return fail(
      `${status.zh}的诉求不能${step.zh}（现在可以：${allowed.map((s) => stepNames[s].zh).join('、') || '无'}）`,
      `An appeal that is ${status.en} cannot ${step.en} (allowed now: ${allowed.map((s) => stepNames[s].en).join(', ') || 'none'})`,
    );
  }
  const next: AppealState = { ...state, version: state.version + 1, lastEventAt: event.at };
  switch (event.type) {
    case 'dispatch': {
      const { unit } = event.data;
      const responseDueAt = time(event.data.responseDueAt);
      const handlingDueAt = time(event.data.handlingDueAt);
      if (!unit?.name?.trim()) return fail('派单须指明承办单位', 'A dispatch must name the unit');
      if (!(responseDueAt instanceof Date) || !(handlingDueAt instanceof Date)) {
        return fail('派单缺少响应或办理时限', 'A dispatch must carry its response and handling due times');
      }
      return ok({
        ...next,
        status: 'dispatched',
        dispatchedUnit: { name: unit.name, type: unit.type },
        dispatchedAt: event.at,
        responseDueAt,
        handlingDueAt,
        respondedAt: null,
        handledAt: null,
      });
    }
    case 'return':
      if (!event.data.reason?.trim()) return fail('退单须说明理由', 'A return must give its reason');
      // Nobody owes a response while the hotline finds the right unit; the unit that returned it stays on record.
      return ok({ ...next, status: 'returned', responseDueAt: null, handlingDueAt: null, respondedAt: null });
    case 'respond':
      return ok({ ...next, status: 'responded', respondedAt: event.at });
    case 'handle':
      if (!event.data.result?.trim()) return fail('办理须写明办理结果', 'Handling must state what was done');
      return ok({ ...next, status: 'handled', handledAt: event.at });
    case 'callback': {
      const { contacted, solved, satisfaction } = event.data;
      if (contacted && (solved === null || satisfaction === null)) {
        return fail('联系上诉求人时须记录是否解决和满意度', 'A callback that reached the resident must record solved and satisfaction');
      }
      if (!contacted && (solved !== null || satisfaction !== null)) {
        return fail(
          '未联系上诉求人时不能记录是否解决或满意度',
          'A callback that did not reach the resident cannot record solved or satisfaction',
        );
      }
      return ok({ ...next, status: 'called_back', contacted, solved, satisfaction, lastCallbackAt: event.at });
    }
    case 'close':
      return ok({ ...next, status: 'closed', closedAt: event.at });
    case 'reopen':
      return reopen(next, event.at, event.data);
  }
}

function reopen(next: AppealState, at: Date, data: EventDataByType['reopen']): Outcome {
  if (!data.reason?.trim()) return fail('重启须说明理由', 'Reopening must give its reason');
  const reset = { respondedAt: null, handledAt: null, closedAt: null };
  if (data.to === 'received') {
    return ok({
      ...next,
      ...reset,
      status: 'received',
      dispatchedUnit: null,
      dispatchedAt: null,
      responseDueAt: null,
      handlingDueAt: null,
    });
  }
  if (!next.dispatchedUnit) return fail('该诉求从未派单，只能重启回受理', 'This appeal was never dispatched: reopen it to received');
  const responseDueAt = time(data.responseDueAt);
  const handlingDueAt = time(data.handlingDueAt);
  if (!(responseDueAt instanceof Date) || !(handlingDueAt instanceof Date)) {
    return fail('重新派单缺少响应或办理时限', 'Reopening to the unit must carry new due times');
  }
  return ok({ ...next, ...reset, status: 'dispatched', dispatchedAt: at, responseDueAt, handlingDueAt });
}

function intake(at: Date): AppealState {
  return {
    status: 'received',
    version: 1,
    lastEventAt: at,
    dispatchedUnit: null,
    dispatchedAt: null,
    responseDueAt: null,
    handlingDueAt: null,
    respondedAt: null,
    handledAt: null,
    contacted: null,
    solved: null,
    satisfaction: null,
    lastCallbackAt: null,
    closedAt: null,
  };
}

function fromSnapshot(version: number, at: Date, s: ImportedSnapshot): Outcome {
  const times = {
    dispatchedAt: time(s.dispatchedAt),
    responseDueAt: time(s.responseDueAt),
    handlingDueAt: time(s.handlingDueAt),
    respondedAt: time(s.respondedAt),
    handledAt: time(s.handledAt),
    lastCallbackAt: time(s.lastCallbackAt),
    closedAt: time(s.closedAt),
  };
  const bad = Object.entries(times).find(([, value]) => value === 'bad');
  if (bad) return fail(`导入的 ${bad[0]} 不是有效时间`, `Imported ${bad[0]} is not a valid time`);
  return ok({
    ...(times as { [K in keyof typeof times]: Date | null }),
    status: s.status,
    version,
    lastEventAt: at,
    dispatchedUnit: s.dispatchedUnit,
    contacted: s.contacted,
    solved: s.solved,
    satisfaction: s.satisfaction,
  });
}

const ok = (state: AppealState): Outcome => ({ ok: true, state });

/** Folds an appeal's events, oldest first; the failure names the event that broke the chain. */
export function replay(events: readonly AppealEvent[]): Outcome {
  let state: AppealState | undefined;
  for (const [index, event] of events.entries()) {
    const outcome = applyEvent(state, event);
    if (!outcome.ok) {
      return fail(
        `第 ${index + 1} 个事件（${event.type}）：${outcome.reason.zh}`,
        `event ${index + 1} (${event.type}): ${outcome.reason.en}`,
      );
    }
    state = outcome.state;
  }
  return state ? ok(state) : fail('没有事件', 'No events');
}
