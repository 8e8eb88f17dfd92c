import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
const YOUANMEN = '110106001001'; // 右安门街道, 丰台区
const GAOJINGLU = '110107009011'; // 高井路社区, 石景山区

interface Seeded {
  community: string;
  received: string;
  callback?: string;
}

// 京铁家园's last appeal arrives at 01:00 on 1 April in Beijing (still 31 March in UTC); 右安门's
// data ends in February, with a callback in March that adds no volume there; Shijingshan runs
// to May. One appeal is dated in 2099, a typing mistake that must not move the pages there.
const appeals: Seeded[] = [
  { community: JINGTIE, received: '2023-02-10T02:00:00Z', callback: '2023-02-12T02:00:00Z' },
  { community: JINGTIE, received: '2023-03-20T02:00:00Z' },
  { community: JINGTIE, received: '2023-03-31T17:00:00Z' },
  { community: YOUANMEN, received: '2023-01-05T02:00:00Z' },
  { community: YOUANMEN, received: '2023-02-27T09:00:00Z', callback: '2023-03-03T02:00:00Z' },
  { community: GAOJINGLU, received: '2023-05-18T04:00:00Z' },
  { community: GAOJINGLU, received: '2099-01-01T04:00:00Z' },
];

describe.each(backends)('GET /evaluation/latest on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let fengtai: Agent;
  let youanmen: Agent;
  let city: Agent;
  beforeAll(async () => {
    for (const [i, a] of appeals.entries()) {
      await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                    status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
        VALUES (${`LATEST-${i}`}, 'phone', ${a.received}::timestamptz, 'complaint', 'parking.shortage', '最近数据测试', ${a.community}, ${a.community.slice(0, 9)}, ${a.community.slice(0, 6)},
                'received', ${a.callback ? true : null}, ${a.callback ? true : null}, ${a.callback ? 'satisfied' : null}, ${a.callback ?? null}::timestamptz, ${a.received}::timestamptz, 'test')`.execute(
        t.db.kysely,
      );
    }
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    fengtai = await loginAs(app, t.db, 'hotline_office', '110106');
    youanmen = await loginAs(app, t.db, 'street_office', '110106001');
    city = await loginAs(app, t.db, 'viewer', '11');
  });
  afterAll(async () => {
    await app.close();
  });

  const latest = async (as: Agent, query = '') => {
    const res = await as.inject(`/api/v1/evaluation/latest${query}`);
    return { status: res.statusCode, body: res.json() as unknown };
  };

  it('answers the viewer’s scope by default, the day in Beijing time', async () => {
    expect(await latest(fengtai)).toEqual({
      status: 200,
      body: { within: '110106', month: '2023-04', day: '2023-04-01', inProgress: null },
    });
    expect(await latest(youanmen)).toEqual({
      status: 200,
      body: { within: '110106001', month: '2023-02', day: '2023-02-27', inProgress: null },
    });
  });

  it('takes a division inside the scope, in its natural or padded code', async () => {
    expect(await latest(fengtai, '?within=110106001')).toEqual({
      status: 200,
      body: { within: '110106001', month: '2023-02', day: '2023-02-27', inProgress: null },
    });
    expect(await latest(city, `?within=${JINGTIE}`)).toEqual({
      status: 200,
      body: { within: JINGTIE, month: '2023-04', day: '2023-04-01', inProgress: null },
    });
    expect(await latest(city, '?within=110106000000')).toEqual({
      status: 200,
      body: { within: '110106', month: '2023-04', day: '2023-04-01', inProgress: null },
    });
    // Asking about all of Beijing from a street answers for the street, as the other reads do.
    expect((await latest(youanmen, '?within=11')).body).toMatchObject({ within: '110106001' });
  });

  it('ignores appeals dated after today', async () => {
    expect(await latest(city)).toEqual({ status: 200, body: { within: '11', month: '2023-05', day: '2023-05-18', inProgress: null } });
    expect(await latest(city, '?within=110107')).toEqual({
      status: 200,
      body: { within: '110107', month: '2023-05', day: '2023-05-18', inProgress: null },
    });
  });

  it('says null where no appeal was ever received', async () => {
    expect(await latest(city, '?within=110108')).toEqual({
      status: 200,
      body: { within: '110108', month: null, day: null, inProgress: null },
    });
  });

  it('opens on the latest complete period when appeals come in today, and names the one under way', async () => {
    const now = new Date();
    const current = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code, status, last_event_at, created_by)
      VALUES ('LATEST-TODAY', 'phone', ${now.toISOString()}::timestamptz, 'complaint', 'parking.shortage', '今天的诉求', ${JINGTIE}, ${JINGTIE.slice(0, 9)}, ${JINGTIE.slice(0, 6)}, 'received', ${now.toISOString()}::timestamptz, 'test')`.execute(
      t.db.kysely,
    );
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    try {
      expect(await latest(fengtai)).toEqual({
        status: 200,
        body: { within: '110106', month: '2023-04', day: '2023-04-01', inProgress: current },
      });
      // Where nothing came in this period, nothing is in progress.
      expect(await latest(youanmen)).toEqual({
        status: 200,
        body: { within: '110106001', month: '2023-02', day: '2023-02-27', inProgress: null },
      });
    } finally {
      await sql`DELETE FROM appeal WHERE ticket_no = 'LATEST-TODAY'`.execute(t.db.kysely);
      await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    }
  });

  it('refuses a division outside the scope and a code that is none', async () => {
    expect((await latest(fengtai, '?within=110107')).status).toBe(403);
    expect((await latest(youanmen, `?within=${JINGTIE}`)).status).toBe(403);
    const bad = await latest(fengtai, '?within=1101060');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ field: 'within' }] });
    expect((await app.inject('/api/v1/evaluation/latest')).statusCode).toBe(401);
  });
});
