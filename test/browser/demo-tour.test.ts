import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFile, type Credential } from '../../src/cli/credentials.ts';
import { runDemo } from '../../src/cli/demo.ts';
import { readConfig } from '../../src/config.ts';
import type { Role, Viewer } from '../../src/domains/accounts/viewer.ts';
import { hotspots, keyCommunityList, latestData, trend } from '../../src/domains/evaluation/service.ts';
import { communitySecretaries, complianceReport, districtDashboard, getProgram, rosterReport } from '../../src/domains/programs/service.ts';
import { achievementReport, beforeAfter, getProject, listProjects } from '../../src/domains/projects/service.ts';
import { FENGTAI, JINGTIE } from '../../src/demo/facts.ts';
import type { DemoWorld } from '../../src/demo/world.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

/**
 * README's demo tour, walked on the demo itself: one small demo world built once for this file
 * through `mustanswer demo`'s own path, a login taken from the credentials file it wrote, and at
 * every stop the page's figures held against what the database and the services compute. The
 * pictures are README's.
 */
const world = useBrowserWorld();

/** Small enough to build in a couple of minutes; every batch still has its year before and after. */
const SCALE = 0.001;
/** The tour is the Fengtai organization department's: it reads evaluation, programs and projects. */
const TOUR_LOGIN = 'ft-zuzhibu';

const zhCount = new Intl.NumberFormat('zh-CN');
const zhRate = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const zhYuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const rate = (r: number | null) => (r === null ? '—' : zhRate.format(r));
/** As the achievement report writes a change: "+26.23%". */
const signedPercent = (r: number | null) => (r === null ? '—' : `${r > 0 ? '+' : ''}${(r * 100).toFixed(2)}%`);
const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

/** Grows the window to the page's height (up to a limit), so a picture shows whole tables. */
async function fitHeight(page: Page, max = 3200): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1400, height: Math.min(Math.max(height, 900), max) });
}

async function nav(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 900 });
  // The item's accessible name begins with its icon's label ("bar-chart 三率评价").
  await page.getByRole('menuitem', { name: new RegExp(`${label}$`) }).click();
}

describe('the demo tour in README', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-tour-'));
  let demo: DemoWorld;
  let login: Credential;
  let viewer: Viewer;
  let page: Page;
  let month: string;

  beforeAll(async () => {
    demo = await runDemo(world.db, readConfig({ DATA_DIR: dataDir }), SCALE);
    // As a newcomer does: the password from the file the demo wrote, not from the return value.
    const file = credentialsFile(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const credentials = (JSON.parse(fs.readFileSync(file, 'utf8')) as { users: Credential[] }).users;
    login = credentials.find((c) => c.login === TOUR_LOGIN)!;
    expect(login).toMatchObject({ role: 'org_department', scope: FENGTAI });
    const user = await world.db.kysely
      .selectFrom('app_user')
      .select(['id', 'role', 'scope_code'])
      .where('login', '=', TOUR_LOGIN)
      .executeTakeFirstOrThrow();
    viewer = { userId: Number(user.id), actor: TOUR_LOGIN, role: user.role as Role, scopeCode: user.scope_code };
    // Where this login's appeals end: every stop reads its months from there.
    month = (await latestData(world.db.kysely, {}, viewer)).month!;
    page = await world.loggedInPage(login.login, login.password);
  }, 900_000);

  afterAll(async () => {
    await page?.context().close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. 三率评价 opens on the demo’s latest month and lists the key communities', async () => {
    const db = world.db.kysely;
    // Where the appeals end, straight from the appeal table, is where the endpoint says they end.
    const raw = await sql<{ month: string }>`
      SELECT to_char(max(received_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month FROM appeal WHERE district_code = ${FENGTAI}`.execute(
      db,
    );
    expect(month).toBe(raw.rows[0]!.month);
    const received = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM appeal
      WHERE district_code = ${FENGTAI} AND to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${month}`.execute(db);
    const [figures] = await trend(db, { code: FENGTAI, from: month, to: month }, viewer);

    await nav(page, '三率评价');
    await page
      .getByTestId('dashboard-heading')
      .filter({ hasText: `丰台区 · ${monthLabel(month)}` })
      .waitFor();
    const kpi = (id: string) => page.getByTestId(`kpi-${id}`).locator('.ant-statistic-content');
    await kpi('volume')
      .filter({ hasText: zhCount.format(received.rows[0]!.n) })
      .waitFor();
    expect((await kpi('volume').textContent())?.trim()).toBe(zhCount.format(received.rows[0]!.n));
    expect((await kpi('resolution').textContent())?.trim()).toBe(rate(figures!.resolutionRate));

    // The key-community list of the district, as the service draws it for this login.
    const list = await keyCommunityList(db, { within: FENGTAI, month, topN: 100 }, viewer);
    expect(list.items.length).toBeGreaterThan(10);
    const rows = page.locator('[data-testid="key-table"] tbody tr[data-code]');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')))).toEqual(
      list.items.slice(0, 10).map((i) => i.code),
    );
    for (const item of list.items.slice(0, 10)) {
      const row = page.locator(`[data-testid="key-table"] tr[data-code="${item.code}"]`);
      expect(await row.getByTestId('key-name').textContent()).toBe(item.name);
      const text = await row.textContent();
      expect(text).toContain(`${item.appearances} / ${list.periods}`);
      expect(text).toContain(rate(item.figures.resolutionRate));
      expect(await row.getByTestId('key-candidate').count()).toBe(item.candidate ? 1 : 0);
    }
    const summary = await page.getByTestId('key-summary').textContent();
    expect(summary).toContain(`（${list.from} 至 ${list.month}）`);
    expect(summary).toContain(`共 ${zhCount.format(list.items.length)} 个`);
    expect(summary).toContain(`丰台区同期解决率 ${rate(list.areaResolutionRate)}`);
    const candidates = list.items.filter((i) => i.candidate).length;
    expect(await page.getByTestId('key-only-candidates').locator('..').textContent()).toContain(`只看建议选派（${candidates}）`);

    // The list as a file, from its own page: the CSV's rows are the list's, in its order.
    const csv = await page.request.get(`${world.baseUrl}${await page.getByTestId('key-export-csv').getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    const csvRows = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(csvRows).toEqual(list.items.map((i) => i.code));
    const xlsxFile = await page.request.get(`${world.baseUrl}${await page.getByTestId('key-export-xlsx').getAttribute('href')}`);
    expect(xlsxFile.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    for (const chart of ['trend-chart', 'category-chart', 'treemap-chart'])
      await page.getByTestId(chart).locator('canvas').first().waitFor();
    await fitHeight(page);
    await page.mouse.move(0, 0);
    await screenshot(page, 'demo-key-communities');
  });

  it('2. 地理区划 finds 京铁家园社区, its profile and 贾岚 → 田慧林 with the handover', async () => {
    const db = world.db.kysely;
    const secretaries = await communitySecretaries(db, JINGTIE, viewer);
    const profile = await db
      .selectFrom('community_profile')
      .select(['residents'])
      .where('community_code', '=', JINGTIE)
      .executeTakeFirstOrThrow();

    await nav(page, '地理区划');
    await page.getByTestId('geo-search').fill('京铁家园');
    await page.locator(`[data-testid="geo-search-result"][data-code="${JINGTIE}"]`).click();
    await page.locator(`[data-testid="division-detail"][data-code="${JINGTIE}"]`).waitFor();
    await page.getByTestId('profile-form').waitFor();
    expect(await page.getByTestId('profile-residents').inputValue()).toBe(String(profile.residents));
    const chain = page.getByTestId('community-secretaries').getByTestId('chain-name');
    await chain.nth(secretaries.items.length - 1).waitFor();
    expect(await chain.allTextContents()).toEqual(secretaries.items.map((p) => p.cadre.name));

    await page.getByTestId('community-secretaries-link').click();
    const historyPage = page.locator(`[data-testid="community-history"][data-code="${JINGTIE}"]`);
    await historyPage.waitFor();
    expect(await historyPage.getByTestId('chain-name').allTextContents()).toEqual(secretaries.items.map((p) => p.cadre.name));
    expect(await historyPage.getByTestId('secretary-span').allTextContents()).toEqual(
      secretaries.items.map((p) => `${p.startDate} — ${p.endDate ?? '至今'}`),
    );
    // The demo's terms are over: every posting has its end, none reads 至今.
    expect(secretaries.items.every((p) => p.endDate !== null && p.status === 'ended')).toBe(true);
    const handedOver = secretaries.items.find((p) => p.handoverIn)!;
    expect(await historyPage.getByTestId('secretary-handover').textContent()).toContain(handedOver.handoverIn!.notes!);

    // Matching: the community's categories of the twelve months up to the latest with appeals.
    const hot = await hotspots(db, { code: JINGTIE, month, periods: 12 }, viewer);
    expect(hot.items.length).toBeGreaterThan(0);
    const names = new Map((await db.selectFrom('appeal_category').select(['code', 'name_zh']).execute()).map((c) => [c.code, c.name_zh]));
    const tags = page.getByTestId('match-hotspots').locator('.ant-tag');
    await tags.first().waitFor();
    expect(await tags.allTextContents()).toEqual(
      hot.items.slice(0, 5).map((h) => `${names.get(h.category)} · ${zhCount.format(h.volume)} 件 · ${h.months} 个月出现`),
    );
    await page.getByTestId('match-row').first().waitFor();

    await fitHeight(page);
    await screenshot(page, 'demo-secretary-history');
  });

  it('3. 攻坚项目 shows the 791-space parking lot with its units, funds and outputs', async () => {
    const db = world.db.kysely;
    // The parking lot is the community's completed project with parking spaces as its output.
    const lots = await db
      .selectFrom('project as p')
      .innerJoin('project_output as o', 'o.project_id', 'p.id')
      .select(['p.id', 'p.title', 'o.achieved', 'o.target'])
      .where('p.community_code', '=', JINGTIE)
      .where('p.status', '=', 'completed')
      .where('o.kind', '=', 'parking_spaces')
      .execute();
    expect(lots).toHaveLength(1);
    const lot = lots[0]!;
    const units = await db
      .selectFrom('project_stakeholder as s')
      .innerJoin('unit as u', 'u.id', 's.unit_id')
      .select('u.name')
      .where('s.project_id', '=', lot.id)
      .execute();
    const funds = await db
      .selectFrom('project_fund')
      .select(sql<string>`sum(amount)`.as('total'))
      .where('project_id', '=', lot.id)
      .executeTakeFirstOrThrow();
    const detail = await getProject(db, Number(lot.id), viewer);

    await nav(page, '攻坚项目');
    const card = page.getByTestId('board-column-completed').locator(`[data-testid="project-card"][data-id="${lot.id}"]`);
    await card.click();
    await page.getByTestId('project-header').waitFor();
    expect(await page.getByTestId('project-header').textContent()).toContain(lot.title);
    expect(await page.getByTestId('project-header').textContent()).toContain(detail.leadPosting!.cadreName);
    await page
      .getByTestId('outputs')
      .filter({ hasText: `${zhCount.format(Number(lot.achieved))} / ${zhCount.format(Number(lot.target))}` })
      .waitFor();
    const stakeholders = page.getByTestId('stakeholders');
    expect(await stakeholders.locator('tbody tr.ant-table-row').count()).toBe(units.length);
    for (const u of units) expect(await stakeholders.textContent()).toContain(u.name);
    expect(await page.getByTestId('funds-total').textContent()).toBe(zhYuan.format(Number(funds.total)));
    expect(await page.getByTestId('historical-tag').count()).toBe(detail.historical ? 1 : 0);
    // What the lot changed: its category's appeals in the community before the start and after completion.
    const change = await beforeAfter(db, Number(lot.id), {}, viewer);
    await page.getByTestId('before-volume').waitFor();
    expect(await page.getByTestId('before-volume').textContent()).toBe(String(change.before.figures.volume));
    expect(await page.getByTestId('after-volume').textContent()).toBe(String(change.after.figures.volume));
    expect(change.after.figures.volume).toBeLessThan(change.before.figures.volume);

    await fitHeight(page);
    await screenshot(page, 'demo-project');
  });

  it('4. 工作成效报告 of batch 1 shows each community before and after, and the batch’s change', async () => {
    const db = world.db.kysely;
    const { programId, batch1Id } = demo.programs.fengtai;
    const batch = await db.selectFrom('batch').select('number').where('id', '=', batch1Id).executeTakeFirstOrThrow();
    const report = await achievementReport(db, programId, { batch: batch1Id }, viewer);
    expect(report.resolution.communities.length).toBe(demo.programs.fengtai.communities1.length);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByRole('link', { name: '返回看板' }).click();
    await page.getByTestId('report-link').click();
    // One program in the login's scope: the report opens on it.
    await page.waitForURL(`**/projects/report?program=${programId}`);
    await page.getByTestId('report-batch').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: `第 ${batch.number} 批` })
      .click();
    await page.waitForURL(`**/projects/report?program=${programId}&batch=${batch1Id}`);

    // The batch ended on 2023-01-31: the report runs to then, not to today.
    expect(report.to).toBe('2023-01-31');
    await page.getByText(`统计期 ${report.from} — ${report.to}`).first().waitFor();
    const overall = page.getByTestId('overall-percent');
    await overall.filter({ hasText: signedPercent(report.resolution.overall.changePercent) }).waitFor();
    const rows = page.locator('[data-testid="report-resolution"] tbody tr.ant-table-row');
    expect(await rows.count()).toBe(report.resolution.communities.length);
    for (const c of report.resolution.communities) {
      const text = await page.locator(`[data-testid="report-resolution"] tr[data-row-key="${c.communityCode}"]`).textContent();
      expect(text).toContain(`${rate(c.before.resolutionRate)} (${c.before.solved}/${c.before.resolutionValid})`);
      expect(text).toContain(`${rate(c.after.resolutionRate)} (${c.after.solved}/${c.after.resolutionValid})`);
      expect(text).toContain(signedPercent(c.changePercent));
    }
    const total = await page.getByTestId('resolution-overall').textContent();
    const o = report.resolution.overall;
    expect(total).toContain(`${rate(o.before.resolutionRate)} (${o.before.solved}/${o.before.resolutionValid})`);
    expect(total).toContain(`${rate(o.after.resolutionRate)} (${o.after.solved}/${o.after.resolutionValid})`);
    expect(await page.getByTestId('total-funds').textContent()).toContain(zhYuan.format(report.totals.fundsSecured));

    // The batch picker keeps its focus ring otherwise.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await fitHeight(page);
    await page.mouse.move(0, 0);
    await screenshot(page, 'demo-program-report');
  });

  it('5. 田慧林’s elevator renewal reads the same in progress and output, and is flagged overdue today', async () => {
    const db = world.db.kysely;
    const elevators = (await listProjects(db, { communityCode: JINGTIE }, viewer)).items.find((p) => p.title.includes('电梯'))!;
    const detail = await getProject(db, elevators.id, viewer);
    expect(detail.progress).toBeCloseTo(0.92, 6);
    await page.goto(`${world.baseUrl}/projects/${elevators.id}`);
    await page.getByTestId('project-header').waitFor();
    await page.getByTestId('overdue-tag').filter({ hasText: detail.dueDate! }).waitFor();
    await page.getByTestId('outputs').filter({ hasText: '46 / 50' }).waitFor();
    await fitHeight(page);
    await screenshot(page, 'demo-elevators');
  });

  it('6. The program’s roster lists 田慧林’s apprentice; compliance stops where the on-site record ends', async () => {
    const { programId } = demo.programs.fengtai;
    const roster = await rosterReport(world.db.kysely, programId, {}, viewer);
    expect(roster.apprentices.map((a) => a.secretaryName)).toEqual(['田慧林']);
    await page.goto(`${world.baseUrl}/programs/${programId}`);
    await page.getByTestId('tab-roster').click();
    await page.getByTestId('roster-apprentice-name').filter({ hasText: roster.apprentices[0]!.apprenticeName }).waitFor();
    await page.getByTestId('tab-compliance').click();
    const program = await getProgram(world.db.kysely, programId, viewer);
    await page.getByTestId('compliance-rule').waitFor();
    // The page asks for the weeks up to the record's end: nobody is listed short after it.
    const report = await complianceReport(world.db.kysely, programId, { from: '2023-06-01', to: '2023-12-31' }, viewer);
    expect(report.recordedUntil).toBe(program.lastDutyDay);
    expect(report.to <= '2023-06-18').toBe(true);
    await fitHeight(page);
    await screenshot(page, 'demo-roster-compliance');
  });

  it('7. 领导看板: the leader lands on Fengtai’s dashboard, its figures as of 2023-12-31 and the posting dates marked', async () => {
    const credentials = (JSON.parse(fs.readFileSync(credentialsFile(dataDir), 'utf8')) as { users: Credential[] }).users;
    const leader = credentials.find((c) => c.login === 'leader')!;
    expect(leader).toMatchObject({ role: 'viewer', scope: '11' });
    const user = await world.db.kysely
      .selectFrom('app_user')
      .select(['id', 'role', 'scope_code'])
      .where('login', '=', 'leader')
      .executeTakeFirstOrThrow();
    const leaderViewer: Viewer = { userId: Number(user.id), actor: 'leader', role: user.role as Role, scopeCode: user.scope_code };
    const expected = await districtDashboard(world.db.kysely, {}, leaderViewer);
    expect(expected.district.code).toBe(FENGTAI);
    expect(expected.asOf).toMatchObject({ month: '2023-12', date: '2023-12-31' });

    const leaderPage = await world.loggedInPage(leader.login, leader.password);
    try {
      // Logging in from the login page lands a viewer here, not on the overview.
      await leaderPage.waitForURL(/\/dashboard$/);
      await leaderPage.getByTestId('dash-trend').waitFor();
      expect(await leaderPage.getByTestId('dash-heading').textContent()).toBe(`丰台区 · ${monthLabel('2023-12')}`);
      expect(await leaderPage.getByTestId('dash-as-of').textContent()).toContain('数据截至 2023年12月31日（2023年12月考核期末）');
      const kpi = async (id: string) =>
        (await leaderPage.getByTestId(`dash-kpi-${id}`).locator('.ant-statistic-content').textContent())?.trim();
      expect(await kpi('postings')).toBe(zhCount.format(expected.postingsActive));
      expect(await kpi('communities')).toBe(zhCount.format(expected.communitiesCovered));
      expect(await kpi('resolution')).toBe(rate(expected.trend.months.at(-1)!.resolutionRate));
      // Batch 2 opened over 50 communities and is on duty to 2024-03-31: all of them at 2023-12-31.
      expect(expected.communitiesCovered).toBe(50);
      // The marks drawn on the chart: batch 1 (2021-11-30), batch 2 and 田慧林's succession (2023-02-01).
      const trendBox = leaderPage.getByTestId('dash-trend');
      expect(await trendBox.getAttribute('data-batch-starts')).toBe('2021-11,2023-02');
      expect(await trendBox.getAttribute('data-successions')).toBe('2023-02');
      await leaderPage.getByTestId('dash-marks').getByText('京铁家园社区：贾岚 → 田慧林').waitFor();
      await fitHeight(leaderPage);
      await screenshot(leaderPage, 'demo-leader-dashboard');

      // Another month: counted on its last day, with the way back to the latest complete one.
      await leaderPage.goto(`${world.baseUrl}/dashboard?district=${FENGTAI}&month=2023-01`);
      await leaderPage.getByTestId('dash-go-latest').waitFor();
      expect(await leaderPage.getByTestId('dash-as-of').textContent()).toContain('数据截至 2023年1月31日');
      const january = await districtDashboard(world.db.kysely, { district: FENGTAI, month: '2023-01' }, leaderViewer);
      expect(await kpi('postings')).toBe(zhCount.format(january.postingsActive));
      expect(await leaderPage.getByTestId('dash-trend').getAttribute('data-successions')).toBe('');
    } finally {
      await leaderPage.context().close();
    }
  });
});
