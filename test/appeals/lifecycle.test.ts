import { describe, expect, it } from 'vitest';
import {
  allowedSteps,
  applyEvent,
  isOverdue,
  replay,
  type AppealEvent,
  type AppealState,
  type Outcome,
  type Unit,
} from '../../src/domains/appeals/lifecycle.ts';

const t0 = Date.parse('2023-02-01T01:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const unit: Unit = { name: '六里桥街道办事处', type: 'street_office' };

const ev = {
  received: (m: number): AppealEvent => ({ type: 'received', at: at(m), actor: 'hotline', data: {} }),
  dispatch: (m: number, u = unit): AppealEvent => ({
    type: 'dispatch',
    at: at(m),
    actor: 'hotline',
    data: { unit: u, responseDueAt: iso(m + 120), handlingDueAt: iso(m + 7 * 24 * 60) },
  }),
  return: (m: number): AppealEvent => ({ type: 'return', at: at(m), actor: 'street', data: { reason: '非本辖区' } }),
  respond: (m: number): AppealEvent => ({ type: 'respond', at: at(m), actor: 'street', data: {} }),
  handle: (m: number): AppealEvent => ({ type: 'handle', at: at(m), actor: 'street', data: { result: '已清理堆物' } }),
  callback: (
    m: number,
    solved: boolean | null = true,
    satisfaction: 'satisfied' | 'basically' | 'unsatisfied' | null = 'satisfied',
    contacted = true,
  ): AppealEvent => ({
    type: 'callback',
    at: at(m),
    actor: 'hotline',
    data: { contacted, solved, satisfaction },
  }),
  close: (m: number): AppealEvent => ({ type: 'close', at: at(m), actor: 'hotline', data: {} }),
  reopen: (m: number, to: 'dispatched' | 'received' = 'dispatched'): AppealEvent => ({
    type: 'reopen',
    at: at(m),
    actor: 'hotline',
    data:
      to === 'dispatched'
        ? { to, reason: '居民不满意', responseDueAt: iso(m + 120), handlingDueAt: iso(m + 1440) }
        : { to, reason: '重新分类' },
  }),
};

function fold(...events: AppealEvent[]): AppealState {
  const outcome = replay(events);
  if (!outcome.ok) throw new Error(outcome.reason.en);
  return outcome.state;
}

function refused(outcome: Outcome): { zh: string; en: string } {
  if (outcome.ok) throw new Error(`expected a refusal, got status ${outcome.state.status}`);
  return outcome.reason;
}

describe('appeal lifecycle: legal steps', () => {
  it('starts received at version 1', () => {
    const s = fold(ev.received(0));
    expect(s).toMatchObject({ status: 'received', version: 1, lastEventAt: at(0), dispatchedUnit: null, solved: null });
    expect(allowedSteps(s)).toEqual(['dispatch', 'close']);
  });

  it('runs the whole happy path: dispatch, respond, handle, callback, close', () => {
    const s = fold(ev.received(0), ev.dispatch(5), ev.respond(30), ev.handle(600), ev.callback(1000), ev.close(1010));
    expect(s).toMatchObject({
      status: 'closed',
      version: 6,
      dispatchedUnit: unit,
      dispatchedAt: at(5),
      responseDueAt: at(125),
      respondedAt: at(30),
      handledAt: at(600),
      contacted: true,
      solved: true,
      satisfaction: 'satisfied',
      lastCallbackAt: at(1000),
      closedAt: at(1010),
      lastEventAt: at(1010),
    });
  });

  it('takes a return and a re-dispatch to another unit', () => {
    const department = { name: '区住建委', type: 'department' as const };
    const returned = fold(ev.received(0), ev.dispatch(5), ev.return(20));
    expect(returned).toMatchObject({ status: 'returned', dispatchedUnit: unit, responseDueAt: null, handlingDueAt: null });
    expect(allowedSteps(returned)).toEqual(['dispatch']);
    const again = fold(ev.received(0), ev.dispatch(5), ev.return(20), ev.dispatch(25, department));
    expect(again).toMatchObject({
      status: 'dispatched',
      dispatchedUnit: department,
      dispatchedAt: at(25),
      responseDueAt: at(145),
      version: 4,
    });
  });

  it('lets a unit return an appeal it has already responded to, and clears the response', () => {
    const s = fold(ev.received(0), ev.dispatch(5), ev.respond(10), ev.return(20));
    expect(s).toMatchObject({ status: 'returned', respondedAt: null });
  });

  it('closes a consultation answered at intake without any dispatch, and without saying solved', () => {
    const s = fold(ev.received(0), ev.close(3));
    expect(s).toMatchObject({ status: 'closed', closedAt: at(3), solved: null, dispatchedUnit: null });
  });

  it('keeps closed apart from solved: closing after handling without a callback leaves solved unknown', () => {
    const s = fold(ev.received(0), ev.dispatch(5), ev.respond(10), ev.handle(20), ev.close(30));
    expect(s).toMatchObject({ status: 'closed', solved: null, contacted: null });
  });

  it('records a second callback over the first, and a callback that did not reach the resident', () => {
    const s = fold(
      ev.received(0),
      ev.dispatch(5),
      ev.respond(10),
      ev.handle(20),
      ev.callback(30, false, 'unsatisfied'),
      ev.callback(40, true, 'basically'),
    );
    expect(s).toMatchObject({ status: 'called_back', solved: true, satisfaction: 'basically', lastCallbackAt: at(40) });
    const unreached = fold(ev.received(0), ev.dispatch(5), ev.respond(10), ev.handle(20), ev.callback(30, null, null, false));
    expect(unreached).toMatchObject({ contacted: false, solved: null, satisfaction: null });
  });

  it('reopens to the same unit with new due times, clearing response, result and closing', () => {
    const s = fold(
      ev.received(0),
      ev.dispatch(5),
      ev.respond(10),
      ev.handle(20),
      ev.callback(30, false, 'unsatisfied'),
      ev.close(40),
      ev.reopen(50),
    );
    expect(s).toMatchObject({
      status: 'dispatched',
      dispatchedUnit: unit,
      dispatchedAt: at(50),
      responseDueAt: at(170),
      handlingDueAt: at(1490),
      respondedAt: null,
      handledAt: null,
      closedAt: null,
      // The callback stays on record until a new one replaces it.
      solved: false,
      satisfaction: 'unsatisfied',
      version: 7,
    });
  });

  it('reopens from a callback back to intake, dropping the unit', () => {
    const s = fold(
      ev.received(0),
      ev.dispatch(5),
      ev.respond(10),
      ev.handle(20),
      ev.callback(30, false, 'unsatisfied'),
      ev.reopen(35, 'received'),
    );
    expect(s).toMatchObject({ status: 'received', dispatchedUnit: null, dispatchedAt: null, responseDueAt: null });
    expect(allowedSteps(s)).toContain('dispatch');
  });

  it('takes an imported snapshot as the first event or over a later state', () => {
    const snapshot = {
      status: 'closed' as const,
      dispatchedUnit: unit,
      dispatchedAt: iso(5),
      responseDueAt: iso(125),
      handlingDueAt: iso(1000),
      respondedAt: iso(10),
      handledAt: iso(50),
      contacted: true,
      solved: false,
      satisfaction: 'unsatisfied' as const,
      lastCallbackAt: iso(60),
      closedAt: iso(70),
    };
    const first = fold({ type: 'imported', at: at(70), actor: 'import', data: snapshot });
    expect(first).toMatchObject({ status: 'closed', version: 1, solved: false, handledAt: at(50) });
    const later = fold(ev.received(0), { type: 'imported', at: at(70), actor: 'import', data: snapshot });
    expect(later).toMatchObject({ status: 'closed', version: 2, closedAt: at(70) });
  });
});

describe('appeal lifecycle: illegal steps', () => {
  const received = fold(ev.received(0));
  const dispatched = fold(ev.received(0), ev.dispatch(5));
  const handled = fold(ev.received(0), ev.dispatch(5), ev.respond(10), ev.handle(20));

  it('refuses steps out of order, with a Chinese and an English reason', () => {
    const reason = refused(applyEvent(received, ev.respond(10)));
    expect(reason.zh).toContain('已受理的诉求不能响应');
    expect(reason.en).toContain('cannot respond');
    expect(reason.en).toContain('allowed now: dispatch, close');
    expect(refused(applyEvent(dispatched, ev.handle(10))).en).toMatch(/dispatched cannot handle/);
    expect(refused(applyEvent(dispatched, ev.callback(10))).en).toMatch(/cannot record a callback/);
    expect(refused(applyEvent(dispatched, ev.close(10))).en).toMatch(/cannot close/);
    expect(refused(applyEvent(dispatched, ev.dispatch(10))).en).toMatch(/cannot dispatch/);
    expect(refused(applyEvent(handled, ev.reopen(30))).en).toMatch(/handled cannot reopen/);
    expect(refused(applyEvent(received, ev.return(10))).en).toMatch(/cannot return/);
  });

  it('refuses a second intake, and a first event that is no intake', () => {
    expect(refused(applyEvent(received, ev.received(1))).en).toMatch(/already been received/);
    expect(refused(applyEvent(undefined, ev.dispatch(1))).en).toMatch(/first event/);
  });

  it('refuses a step dated before the previous one', () => {
    expect(refused(applyEvent(dispatched, ev.respond(1))).zh).toContain('早于上一步');
  });

  it('refuses steps missing what they must carry', () => {
    const noDue: AppealEvent = { type: 'dispatch', at: at(5), actor: 'x', data: { unit, responseDueAt: '', handlingDueAt: 'soon' } };
    expect(refused(applyEvent(received, noDue)).en).toMatch(/due times/);
    const noReason: AppealEvent = { type: 'return', at: at(10), actor: 'x', data: { reason: ' ' } };
    expect(refused(applyEvent(dispatched, noReason)).en).toMatch(/reason/);
    const noResult: AppealEvent = { type: 'handle', at: at(30), actor: 'x', data: { result: '' } };
    expect(refused(applyEvent(fold(ev.received(0), ev.dispatch(5), ev.respond(10)), noResult)).en).toMatch(/what was done/);
  });

  it('refuses a callback whose answers contradict whether the resident was reached', () => {
    expect(refused(applyEvent(handled, ev.callback(30, null, 'satisfied'))).en).toMatch(/must record solved/);
    expect(refused(applyEvent(handled, ev.callback(30, true, null))).en).toMatch(/must record solved/);
    expect(refused(applyEvent(handled, ev.callback(30, true, 'satisfied', false))).en).toMatch(/cannot record solved/);
  });

  it('refuses to reopen to a unit an appeal that never had one', () => {
    const closedAtIntake = fold(ev.received(0), ev.close(3));
    expect(refused(applyEvent(closedAtIntake, ev.reopen(10))).en).toMatch(/never dispatched/);
    expect(applyEvent(closedAtIntake, ev.reopen(10, 'received')).ok).toBe(true);
  });

  it('names the event that broke a replay', () => {
    const outcome = replay([ev.received(0), ev.dispatch(5), ev.handle(10)]);
    expect(refused(outcome).en).toMatch(/^event 3 \(handle\)/);
    expect(refused(replay([])).en).toBe('No events');
  });
});

describe('overdue', () => {
  const dispatched = fold(ev.received(0), ev.dispatch(5));
  it('is overdue past the response due time without a response', () => {
    expect(isOverdue(dispatched, at(124))).toBe(false);
    expect(isOverdue(dispatched, at(126))).toBe(true);
  });
  it('is overdue past the handling due time without a result, even when responded', () => {
    const responded = fold(ev.received(0), ev.dispatch(5), ev.respond(10));
    expect(isOverdue(responded, at(200))).toBe(false);
    expect(isOverdue(responded, at(5 + 7 * 24 * 60 + 1))).toBe(true);
    const handled = fold(ev.received(0), ev.dispatch(5), ev.respond(10), ev.handle(20));
    expect(isOverdue(handled, at(10 * 24 * 60))).toBe(false);
  });
  it('is never overdue while returned or never dispatched', () => {
    expect(isOverdue(fold(ev.received(0)), at(99_999))).toBe(false);
    expect(isOverdue(fold(ev.received(0), ev.dispatch(5), ev.return(6)), at(99_999))).toBe(false);
  });
});
