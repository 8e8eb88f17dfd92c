import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { importAppeals } from '../../src/domains/appeals/import/service.ts';
import { assessmentMonthOf, assessmentMonthSql, periodBounds } from '../../src/domains/evaluation/assessment.ts';
import { defaultEvaluationConfig } from '../../src/domains/evaluation/config.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import { reportWorkbook } from '../../src/domains/evaluation/report-excel.ts';
import { monthlyReport } from '../../src/domains/evaluation/reports.ts';
import * as evaluation from '../../src/domains/evaluation/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { writeCsv } from '../appeals/import/fixtures.ts';

/** Times around every month's end in Beijing, and around the 1st, 20th/21st and 28th of a few months. */
function boundaryTimes(): Date[] {
  const times: Date[] = [];
  for (let month = 0; month < 14; month++) {
    for (const day of [1, 2, 14, 15, 20, 21, 27, 28, 29, 31]) {
      // Midnight in Beijing is 16:00 UTC the day before: a second either side of it, and midday.
      const midnight = Date.UTC(2023, month, day) - 8 * 3_600_000;
      for (const offset of [-1000, 0, 1000, 12 * 3_600_000]) times.push(new Date(midnight + offset));
    }
  }
  return times;
}

describe('assessment months in JavaScript', () => {
  it('names the calendar month by default and the next month from the start day on', () => {
    expect(assessmentMonthOf(new Date('2023-01-20T23:59:59+08:00'), 21)).toBe('2023-01-01');
    expect(assessmentMonthOf(new Date('2023-01-21T00:00:00+08:00'), 21)).toBe('2023-02-01');
    expect(assessmentMonthOf(new Date('2023-12-21T08:00:00+08:00'), 21)).toBe('2024-01-01');
    expect(assessmentMonthOf(new Date('2023-01-31T23:59:59+08:00'), 1)).toBe('2023-01-01');
    expect(assessmentMonthOf(new Date('2023-01-31T16:00:00Z'), 1)).toBe('2023-02-01');
  });

  it('bounds each period by the times that fall in it', () => {
    for (const startDay of [1, 2, 21, 28]) {
      for (const month of ['2023-01', '2023-03', '2024-01']) {
        const { start, end } = periodBounds(month, startDay);
        expect(assessmentMonthOf(new Date(start), startDay), `${month} from ${start}`).toBe(`${month}-01`);
        expect(assessmentMonthOf(new Date(Date.parse(end) - 1), startDay), `${month} to ${end}`).toBe(`${month}-01`);
        expect(assessmentMonthOf(new Date(end), startDay)).not.toBe(`${month}-01`);
      }
    }
    expect(periodBounds('2023-01', 21)).toEqual({ start: '2022-12-21T00:00:00+08:00', end: '2023-01-21T00:00:00+08:00' });
  });
});

describe.each(backends)('assessment periods on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('puts a time in the same month in SQL as in JavaScript, for every start day', async () => {
    const times = boundaryTimes();
    for (const startDay of [1, 2, 15, 21, 28]) {
      const rows = await sql<{ month: string }>`
        SELECT to_char(${assessmentMonthSql('t.at', startDay)}, 'YYYY-MM-DD') AS month
        FROM unnest(${times.map((d) => d.toISOString())}::timestamptz[]) WITH ORDINALITY AS t(at, i) ORDER BY t.i`.execute(t.db.kysely);
      expect(
        rows.rows.map((r) => r.month),
        `start day ${startDay}`,
      ).toEqual(times.map((d) => assessmentMonthOf(d, startDay)));
    }
  });

  it('counts by periods from the 21st once the rules say so, in the import and in a rebuild alike', async () => {
    const db = t.db.kysely;
    // The columns of the fixtures' header: … 所属社区, 地址, 来电人, 联系电话, 紧急程度, 派单单位, 是否联系, 是否解决, 满意度, 回访时间, 办结时间.
    const rows = [
      'AP001,2023-01-20 23:30,投诉,停车难,停车难,丰台区,六里桥街道,京铁家园社区,,,,,,是,是,满意,2023-01-21 09:00,',
      // Alone in its community: were the import to name another month for it, that month's rollup would go stale.
      'AP002,2023-01-21 00:10,投诉,停车难,停车难,丰台区,六里桥街道,望园社区,,,,,,,,,,',
      'AP003,2023-02-20 12:00,求助,供暖不热,暖气不热,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'AP004,2023-02-21 08:00,投诉,噪声,施工噪声,丰台区,六里桥街道,京铁家园社区,,,,,,是,是,基本满意,2023-02-25 10:00,',
    ];
    const volumes = async () => {
      const list = await Promise.all(
        ['2023-01', '2023-02', '2023-03'].map((month) =>
          evaluation.placeFigures(db, { level: 'street', month, within: '110106008' }, systemViewer),
        ),
      );
      return list.map((places) => places[0]?.volume ?? 0);
    };
    await evaluation.updateConfig(db, { ...defaultEvaluationConfig, periodStartDay: 21 }, systemViewer);
    const summary = await importAppeals(t.db, writeCsv('periods.csv', rows), systemViewer);
    expect(summary).toMatchObject({ inserted: 4, badRows: 0 });
    expect(await checkRollups(db)).toEqual([]);
    // January's period ends on the 20th: AP001 in January, AP002 and AP003 in February, AP004 in March.
    expect(await volumes()).toEqual([1, 2, 1]);
    const february = (await evaluation.placeFigures(db, { level: 'street', month: '2023-02', within: '110106008' }, systemViewer))[0]!;
    // AP001's callback on 21 January counts in February; AP004's on 25 February in March.
    expect(february.resolutionValid).toBe(1);
    expect(february.solved).toBe(1);
    const report = await monthlyReport(db, { within: '110106', month: '2023-02' }, systemViewer);
    expect(report).toMatchObject({ periodStartDay: 21, current: { volume: 2 } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportWorkbook(report)) as unknown as ExcelJS.Buffer);
    expect(String(book.worksheets[0]!.getCell('A2').value)).toContain('考核周期：上月 21 日至本月 20 日');
    // Back to calendar months: every rollup again, AP001–AP003 in January and February as dated.
    await evaluation.updateConfig(db, defaultEvaluationConfig, systemViewer);
    expect(await checkRollups(db)).toEqual([]);
    expect(await volumes()).toEqual([2, 2, 0]);
    const latest = await evaluation.latestData(db, { within: '110106008' }, systemViewer, new Date('2023-06-01T00:00:00Z'));
    expect(latest).toMatchObject({ month: '2023-02', day: '2023-02-21' });
  });
});
