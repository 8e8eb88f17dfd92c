import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { dailyReport, monthlyReport } from '../../src/domains/evaluation/reports.ts';
import { reportTitle, reportWorkbook } from '../../src/domains/evaluation/report-excel.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

interface Seed {
  community: string;
  category: string;
  received: string;
  callback?: string;
  solved?: boolean;
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied';
}

// Four Fengtai streets; 六里桥 resolves everything, 右安门 nothing.
const LIULIQIAO = '110106008028';
const YOUANMEN = '110106001001';
const TAIPINGQIAO = '110106002001';
const XILUOYUAN = '110106003001';

function seeds(): Seed[] {
  const rows: Seed[] = [];
  const add = (n: number, seed: Seed) => {
    for (let i = 0; i < n; i++) rows.push(seed);
  };
  // February 2023, called back in February.
  add(6, {
    community: LIULIQIAO,
    category: 'parking.shortage',
    received: '2023-02-10T02:00:00Z',
    callback: '2023-02-12T02:00:00Z',
    solved: true,
    satisfaction: 'satisfied',
  });
  add(6, {
    community: YOUANMEN,
    category: 'heating',
    received: '2023-02-10T02:00:00Z',
    callback: '2023-02-12T02:00:00Z',
    solved: false,
    satisfaction: 'unsatisfied',
  });
  add(6, {
    community: TAIPINGQIAO,
    category: 'elevator.fault',
    received: '2023-02-15T02:00:00Z',
    callback: '2023-02-16T02:00:00Z',
    solved: true,
    satisfaction: 'basically',
  });
  add(2, {
    community: XILUOYUAN,
    category: 'gas',
    received: '2023-02-15T02:00:00Z',
    callback: '2023-02-16T02:00:00Z',
    solved: true,
    satisfaction: 'satisfied',
  });
  add(3, { community: XILUOYUAN, category: 'noise', received: '2023-02-15T02:00:00Z' });
  // January 2023, fewer and worse.
  add(4, {
    community: LIULIQIAO,
    category: 'parking.illegal',
    received: '2023-01-10T02:00:00Z',
    callback: '2023-01-12T02:00:00Z',
    solved: false,
    satisfaction: 'unsatisfied',
  });
  // 14 February, the day before the daily report's day.
  add(2, { community: LIULIQIAO, category: 'property.fee', received: '2023-02-14T15:30:00Z' });
  return rows;
}

describe.each(backends)('evaluation reports on %s', (backend) => {
  const t = useTestDatabase(backend);

  beforeAll(async () => {
    for (const [i, s] of seeds().entries()) {
      await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                    status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
        VALUES (${`RP-${i}`}, 'phone', ${s.received}::timestamptz, 'complaint', ${s.category}, '报表测试', ${s.community}, ${s.community.slice(0, 9)}, ${s.community.slice(0, 6)},
                'received', ${s.callback ? true : null}, ${s.solved ?? null}, ${s.satisfaction ?? null}, ${s.callback ?? null}::timestamptz, ${s.received}::timestamptz, 'test')`.execute(
        t.db.kysely,
      );
    }
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  });

  it('writes the monthly report of a district: volume, rates, their change, top categories, best and worst streets', async () => {
    const report = await monthlyReport(t.db.kysely, { within: '110106', month: '2023-02' }, systemViewer);
    expect(report.place.name).toBe('丰台区');
    expect(report.current.volume).toBe(25);
    expect(report.previous.volume).toBe(4);
    expect(report.change.volume).toBe(21);
    expect(report.current.resolutionRate).toBeCloseTo(14 / 20, 12);
    expect(report.previous.resolutionRate).toBe(0);
    expect(report.change.resolutionRate).toBeCloseTo(0.7, 12);
    expect(report.current.satisfactionRate).toBeCloseTo((8 + 0.9 * 6) / 20, 12);
    expect(report.topCategories.map((c) => c.nameZh).slice(0, 3)).toEqual(expect.arrayContaining(['停车管理', '供暖', '电梯']));
    expect(report.topCategories[0]!.figures.volume).toBe(6);
    expect(report.childLevel).toBe('street');
    expect(report.best[0]!.nameZh).toBe('六里桥街道');
    expect(report.worst[0]!.nameZh).toBe('右安门街道');
    // 西罗园 has 2 valid callbacks, under the default minimum of 5.
    expect(report.skipped).toBe(1);
    expect(reportTitle(report)).toBe('丰台区2023年2月接诉即办月报');
  });

  it('writes the daily report from the day’s own appeals, in Beijing time', async () => {
    const report = await dailyReport(t.db.kysely, { within: '110106', date: '2023-02-15' }, systemViewer);
    // 11 received on 15 February; the 2 stamped 14 Feb 15:30 UTC are 23:30 Beijing time, still the 14th.
    expect(report.current.volume).toBe(11);
    expect(report.previous.volume).toBe(2);
    expect(report.previousPeriod).toBe('2023-02-14');
    expect(report.current.solved).toBe(0);
    const day16 = await dailyReport(t.db.kysely, { within: '110106', date: '2023-02-16' }, systemViewer);
    expect(day16.current.resolutionValid).toBe(8);
    expect(day16.current.resolutionRate).toBe(1);
    await expect(dailyReport(t.db.kysely, { within: '110106', date: '2023-02-30x' }, systemViewer)).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('exports the report as an Excel workbook that reads back', async () => {
    const report = await monthlyReport(t.db.kysely, { within: '110106', month: '2023-02' }, systemViewer);
    const book = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type, older than @types/node's generic one.
    await book.xlsx.load((await reportWorkbook(report)) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('月报')!;
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells[0]).toBe('丰台区2023年2月接诉即办月报');
    expect(cells).toContain('解决率');
    expect(cells).toContain('70.00%');
    expect(cells).toContain('+70.00 个百分点');
    expect(cells).toContain('六里桥街道');
  });

  it('writes the workbook in English when asked, place names as recorded', async () => {
    const report = await monthlyReport(t.db.kysely, { within: '110106', month: '2023-02' }, systemViewer);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportWorkbook(report, 'en')) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('Monthly report')!;
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells[0]).toBe('丰台区: 12345 hotline monthly report, February 2023');
    expect(cells).toContain('Resolution rate');
    expect(cells).toContain('+70.00 points');
    expect(cells).toContain('六里桥街道');
    // Nothing of the Chinese headings is left but the names of places.
    expect(cells.filter((c) => /[\u4e00-\u9fff]/.test(c) && !/(区|街道|社区|村|镇|乡)/.test(c))).toEqual([]);
  });
});
