import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

// Four Fengtai communities, each in a street of its own.
const JTJY = '110106008028'; // 京铁家园社区, 六里桥街道
const YOUANMEN = '110106001001'; // 右安门街道
const TAIPINGQIAO = '110106002001'; // 太平桥街道
const XILUOYUAN = '110106003001'; // 西罗园街道

interface Batch {
  community: string;
  category: string;
  month: string;
  n: number;
  /** With a callback in the same month: how many solved, and how satisfied. */
  solved?: number;
  satisfied?: number;
  basically?: number;
  callback?: boolean;
}

// 京铁家园 is on the list every month from September to February and resolves little until
// February; 右安门 keeps coming back with heating and resolves less; 太平桥 solves everything
// in February; 西罗园 has too few callbacks to be ranked.
const BATCHES: Batch[] = [
  { community: JTJY, category: 'parking.shortage', month: '2022-09', n: 3, solved: 0, satisfied: 1 },
  { community: JTJY, category: 'parking.shortage', month: '2022-10', n: 3, solved: 0, satisfied: 1 },
  { community: JTJY, category: 'parking.shortage', month: '2022-11', n: 3, solved: 0, satisfied: 1 },
  { community: JTJY, category: 'parking.shortage', month: '2022-12', n: 6, solved: 2, satisfied: 2 },
  { community: JTJY, category: 'parking.illegal', month: '2023-01', n: 8, solved: 4, satisfied: 4 },
  { community: JTJY, category: 'parking.shortage', month: '2023-02', n: 12, solved: 10, satisfied: 9, basically: 1 },
  { community: YOUANMEN, category: 'heating', month: '2022-12', n: 4, solved: 0 },
  { community: YOUANMEN, category: 'heating', month: '2023-01', n: 6, solved: 3, satisfied: 2 },
  { community: YOUANMEN, category: 'heating', month: '2023-02', n: 6, solved: 1 },
  { community: TAIPINGQIAO, category: 'elevator.fault', month: '2023-02', n: 6, solved: 6, basically: 6 },
  { community: XILUOYUAN, category: 'gas', month: '2023-02', n: 2, solved: 2, satisfied: 2 },
  { community: XILUOYUAN, category: 'noise', month: '2023-02', n: 3, callback: false },
];

interface Row {
  community: string;
  category: string;
  received: string;
  callback: string | null;
  solved: boolean | null;
  satisfaction: 'satisfied' | 'basically' | 'unsatisfied' | null;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const b of BATCHES) {
    for (let i = 0; i < b.n; i++) {
      const called = b.callback !== false;
      const satisfaction = !called
        ? null
        : i < (b.satisfied ?? 0)
          ? 'satisfied'
          : i < (b.satisfied ?? 0) + (b.basically ?? 0)
            ? 'basically'
            : 'unsatisfied';
      out.push({
        community: b.community,
        category: b.category,
        received: `${b.month}-10T02:00:00Z`,
        callback: called ? `${b.month}-12T02:00:00Z` : null,
        solved: called ? i < (b.solved ?? 0) : null,
        satisfaction,
      });
    }
  }
  return out;
}

/** What the seed implies for the whole district in one month (every appeal a complaint). */
function expected(month: string) {
  const received = rows().filter((r) => r.received.startsWith(month));
  const called = rows().filter((r) => r.callback?.startsWith(month));
  return { volume: received.length, valid: called.length, solved: called.filter((r) => r.solved).length };
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;

describe('evaluation in the browser', () => {
  beforeAll(async () => {
    for (const [i, r] of rows().entries()) {
      await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                    status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
        VALUES (${`EV-${i}`}, 'phone', ${r.received}::timestamptz, 'complaint', ${r.category}, '评价页面测试', ${r.community}, ${r.community.slice(0, 9)}, ${r.community.slice(0, 6)},
                'received', ${r.callback ? true : null}, ${r.solved}, ${r.satisfaction}, ${r.callback}::timestamptz, ${r.received}::timestamptz, 'test')`.execute(
        world.db.kysely,
      );
    }
    await world.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  });

  it('a Fengtai hotline office sees its latest month: KPIs, ranking, key communities, and a community page', async () => {
    const feb = expected('2023-02');
    const jan = expected('2023-01');
    // The seed as arithmetic, so the figures below are not just copied from the page.
    expect(feb).toEqual({ volume: 29, valid: 26, solved: 19 });
    expect(jan).toEqual({ volume: 14, valid: 14, solved: 7 });

    const { login, password } = await world.user('hotline_office', '110106', '丰台区接诉即办办公室');
    const page = await world.loggedInPage(login, password);
    // No month in the address: the dashboard opens on the latest month with data (2023-02, from
    // GET /evaluation/latest), years before the clock.
    await page.goto(`${world.baseUrl}/evaluation`);
    await page.getByTestId('dashboard-heading').filter({ hasText: '丰台区 · 2023年2月' }).waitFor();

    const kpi = (id: string) => page.getByTestId(`kpi-${id}`).locator('.ant-statistic-content');
    await kpi('volume')
      .filter({ hasText: String(feb.volume) })
      .waitFor();
    expect((await kpi('volume').textContent())?.trim()).toBe('29');
    expect((await kpi('resolution').textContent())?.trim()).toBe(percent(feb.solved, feb.valid)); // 73.08%
    expect((await kpi('resolution').textContent())?.trim()).toBe('73.08%');
    expect(await page.getByTestId('kpi-resolution-change').textContent()).toContain('+23.08 个百分点');
    expect(await page.getByTestId('kpi-resolution-change').getAttribute('data-tone')).toBe('good');
    expect(await page.getByTestId('kpi-volume-change').textContent()).toContain(`+${feb.volume - jan.volume}`);
    expect((await kpi('response').textContent())?.trim()).toBe('100.00%');

    // Streets by composite score: 太平桥 solved all six (95.50); 西罗园's two callbacks are too few.
    const firstRank = page.locator('[data-testid="ranking-table"] tbody tr[data-code]').first();
    await firstRank.waitFor();
    expect(await firstRank.getAttribute('data-code')).toBe('110106002');
    expect(await firstRank.getByTestId('ranking-name').textContent()).toBe('太平桥街道');
    expect(await firstRank.getByTestId('ranking-value').textContent()).toBe('95.50');
    expect(await page.getByTestId('ranking-skipped').textContent()).toContain('有效回访不足 5 件的 1 个街道（乡镇）未参与排名');

    // The key-community list: 京铁家园 first (six months on the list), proposed with its evidence.
    const keyRows = page.locator('[data-testid="key-table"] tbody tr[data-code]');
    await keyRows.first().waitFor();
    expect(await keyRows.first().getAttribute('data-code')).toBe(JTJY);
    const jtjy = page.locator(`[data-testid="key-table"] tr[data-code="${JTJY}"]`);
    expect(await jtjy.getByTestId('key-name').textContent()).toBe('京铁家园社区');
    await jtjy.getByTestId('key-candidate').waitFor();
    expect(await jtjy.getByTestId('key-evidence').textContent()).toContain('近 12 期上榜 6 期');
    await page.locator(`[data-testid="key-table"] tr[data-code="${YOUANMEN}"] [data-testid="key-candidate"]`).waitFor();
    expect(await page.locator(`[data-testid="key-table"] tr[data-code="${TAIPINGQIAO}"] [data-testid="key-candidate"]`).count()).toBe(0);

    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    await page.getByTestId('treemap-chart').locator('canvas').first().waitFor();
    await page.getByTestId('category-chart').locator('canvas').first().waitFor();
    await page.setViewportSize({ width: 1400, height: 1900 });
    await screenshot(page, 'evaluation-dashboard');
    await page.setViewportSize({ width: 1400, height: 900 });

    // A month without appeals says so, instead of showing zeros as if they were figures.
    await page.goto(`${world.baseUrl}/evaluation?month=2023-06&division=110106`);
    await page.getByTestId('dashboard-empty').filter({ hasText: '丰台区2023年6月没有诉求数据' }).waitFor();
    await page.goBack();
    await page.getByTestId('dashboard-heading').filter({ hasText: '2023年2月' }).waitFor();

    // The busiest community's own page: its year, and parking coming back month after month.
    await jtjy.waitFor();
    await page.locator(`[data-testid="key-table"] tr[data-code="${JTJY}"]`).click();
    await page.locator(`[data-testid="community-page"][data-code="${JTJY}"]`).waitFor();
    expect(page.url()).toBe(`${world.baseUrl}/evaluation/community/${JTJY}?month=2023-02`);
    expect(await page.getByTestId('community-name').textContent()).toBe('京铁家园社区');
    const parking = page.locator('[data-testid="hotspots-table"] tr[data-row-key="parking"]');
    await parking.waitFor();
    expect(await parking.textContent()).toContain('6 / 12');
    await parking.getByTestId('hotspot-recurring').waitFor();
    await page.getByTestId('kpi-volume').filter({ hasText: '12' }).waitFor();
    expect(await page.getByTestId('community-geo-link').isVisible()).toBe(true);
    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    await page.setViewportSize({ width: 1400, height: 1250 });
    await screenshot(page, 'evaluation-community');

    // English labels are in the same pages.
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Problems that keep coming back').waitFor();
    await page.getByTestId('hotspot-recurring').filter({ hasText: 'recurring' }).first().waitFor();
    await page.getByText('中文', { exact: true }).click();
    await page.context().close();
  });

  it('prints the monthly report of Fengtai and downloads it as Excel', async () => {
    const { login, password } = await world.user('hotline_office', '110106', '丰台区接诉即办办公室');
    const page = await world.loggedInPage(login, password);
    await page.goto(`${world.baseUrl}/evaluation?month=2023-02`);
    await page.getByTestId('open-report').click();
    await page.getByTestId('report-title').filter({ hasText: '丰台区2023年2月接诉即办月报' }).waitFor();
    expect(new URL(page.url()).searchParams.get('month')).toBe('2023-02');

    expect(await page.getByTestId('report-current-volume').textContent()).toBe('29');
    expect(await page.getByTestId('report-current-resolutionRate').textContent()).toBe('73.08%');
    expect(await page.locator('[data-testid="report-best-row"]').first().textContent()).toContain('太平桥街道');
    expect(await page.locator('[data-testid="report-worst-row"]').first().textContent()).toContain('右安门街道');
    expect(await page.getByTestId('report-skipped').textContent()).toBe('另有 1 个街道（乡镇）有效回访不足 5 件，未参与排名。');
    const categories = page.locator('[data-testid="report-categories"] tbody tr[data-row-key]');
    expect(await categories.first().textContent()).toContain('停车管理');
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.mouse.move(0, 0);
    await screenshot(page, 'evaluation-report');
    await page.setViewportSize({ width: 1400, height: 900 });

    // Printing hides the navigation and the filters: only the report is left.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('report-kind').isVisible()).toBe(false);
    expect(await page.getByTestId('report-title').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    const href = await page.getByTestId('report-excel').getAttribute('href');
    expect(href).toBe('/api/v1/evaluation/reports/monthly.xlsx?month=2023-02&within=110106');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-excel').click()]);
    expect(download.suggestedFilename()).toBe('丰台区2023年2月接诉即办月报.xlsx');
    const file = fs.readFileSync((await download.path())!);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ExcelJS.Buffer);
    expect(book.getWorksheet('月报')!.getCell('A1').value).toBe('丰台区2023年2月接诉即办月报');

    const response = await page.request.get(`${world.baseUrl}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    // The daily report of a day in that month, from the same page.
    await page.getByTestId('report-kind').getByText('日报').click();
    await page.getByTestId('report-title').filter({ hasText: '丰台区2023年2月28日接诉即办日报' }).waitFor();
    await page.getByTestId('report-empty').waitFor();
    // Without a date the daily report opens on the latest day with appeals, not on today.
    await page.goto(`${world.baseUrl}/evaluation/reports?kind=daily&division=110106`);
    await page.getByTestId('report-title').filter({ hasText: '丰台区2023年2月10日接诉即办日报' }).waitFor();
    expect(new URL(page.url()).searchParams.get('date')).toBeNull();
    await page.goto(`${world.baseUrl}/evaluation/reports?kind=daily&date=2023-02-10&division=110106`);
    await page.getByTestId('report-title').filter({ hasText: '丰台区2023年2月10日接诉即办日报' }).waitFor();
    expect(await page.getByTestId('report-current-volume').textContent()).toBe('29');
    await page.context().close();
  });
});
