import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

const JINGTIE = '110106008028'; // 京铁家园社区
const OTHER = '110106001001';

/** The key-community list downloaded from its page, as Excel and as CSV, holds what the list shows. */
describe('key-community list exports', () => {
  const t = useTestDatabase('pglite');
  let app: FastifyInstance;
  let fengtai: Agent;
  beforeAll(async () => {
    // 京铁家园: 6 appeals a month for three months, 4 solved each month; the other community 2 a month, all solved.
    for (const [community, n, solved] of [
      [JINGTIE, 6, 4],
      [OTHER, 2, 2],
    ] as const) {
      for (const month of ['2023-01', '2023-02', '2023-03']) {
        await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                      status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
          SELECT ${`KEY-${community}-${month}-`} || g, 'phone', ${`${month}-10T02:00:00Z`}::timestamptz, 'complaint', 'parking.shortage', '重点社区导出测试', ${community},
                 ${community.slice(0, 9)}, ${community.slice(0, 6)}, 'called_back', true, g <= ${solved}, 'satisfied', ${`${month}-12T02:00:00Z`}::timestamptz, ${`${month}-12T02:00:00Z`}::timestamptz, 'test'
          FROM generate_series(1, ${n}) AS g`.execute(t.db.kysely);
      }
    }
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    fengtai = await loginAs(app, t.db, 'org_department', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  const query = 'month=2023-03&periods=3&topN=10';

  it('writes the list as CSV through the shared writer: the rates, the times on the list and the evidence', async () => {
    const list = (await fengtai.inject(`/api/v1/evaluation/key-communities?${query}`)).json() as {
      items: Array<{ code: string; name: string; appearances: number }>;
    };
    const res = await fengtai.inject(`/api/v1/evaluation/key-communities.csv?${query}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('重点社区名单-2023-01-2023-03-前10.csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^社区代码 code,社区 community,上榜次数 times on the list/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual(list.items.map((i) => [i.code, i.name, String(i.appearances)]));
    const jingtie = lines.find((l) => l.startsWith(JINGTIE))!.split(',');
    // 3 of 3 periods on the list, 6 appeals now, 18 in the window, 12 of 18 solved.
    expect(jingtie.slice(2, 7)).toEqual(['3', '3', '1', '6', '18']);
    expect(Number(jingtie[8])).toBeCloseTo(12 / 18, 4);
  });

  it('writes the same list as an Excel workbook that reads back, rates as numbers', async () => {
    const res = await fengtai.inject(`/api/v1/evaluation/key-communities.xlsx?${query}`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('重点社区名单')!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('2023-01 至 2023-03');
    const row = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(1).value === JINGTIE)!;
    expect(row.getCell(2).value).toBe('京铁家园社区');
    expect(row.getCell(9).value).toBeCloseTo(12 / 18, 4);
  });

  it('keeps to the reader’s scope and asks for a login', async () => {
    expect((await fengtai.inject(`/api/v1/evaluation/key-communities.csv?${query}&within=110107`)).statusCode).toBe(403);
    expect((await app.inject(`/api/v1/evaluation/key-communities.xlsx?${query}`)).statusCode).toBe(401);
  });
});
