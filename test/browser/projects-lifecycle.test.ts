import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { createAppeal } from '../../src/domains/appeals/service.ts';
import { shanghaiToday } from '../../src/shared/dates.ts';
import { JINGTIE, recordFengtai } from '../programs/world.ts';
import { recordJingtieUnits } from '../projects/world.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

const TITLE = '西南门外闲置空间改建停车场';

/** An option of the open select popup, by its text. */
function option(page: Page, text: string | RegExp): Locator {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text });
}

/** Types a date into an antd DatePicker (its input carries the test id, or holds it). */
async function pickDate(page: Page, testId: string, date: string): Promise<void> {
  const el = page.getByTestId(testId);
  const input = (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input');
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** Submits a dialog and waits for it to close: the server took the write. */
async function submit(page: Page, testId: string): Promise<void> {
  await page.getByTestId(`${testId}-submit`).click();
  await page.getByTestId(`${testId}-form`).waitFor({ state: 'detached' });
}

/** Submits a dialog the server refuses: the reason appears in it, and it stays open. */
async function refused(page: Page, testId: string, reason: string | RegExp): Promise<void> {
  await page.getByTestId(`${testId}-submit`).click();
  await page.getByTestId(`${testId}-form`).getByText(reason).waitFor();
}

async function move(page: Page, to: string): Promise<void> {
  await page.getByTestId(`transition-${to}`).click();
  await submit(page, 'transition');
  await page.locator(`[data-testid="project-header"][data-status="${to}"]`).waitFor();
}

async function withoutToasts(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 10_000 });
}

/**
 * 田慧林's idle space by the southwest gate, as a street or the organization department would
 * work it: proposed, consulted, approved, built and completed through the web app only. Every
 * step is checked against what the database holds; the refusals on the way write nothing.
 */
describe('a hard-nut project from proposal to completion in the browser', () => {
  it('proposes, consults, approves, works, links appeals, completes, and reports it in Chinese and English', async () => {
    const db = world.db.kysely;
    const today = shanghaiToday();
    const fengtai = await recordFengtai(db);
    const units = await recordJingtieUnits(db, fengtai);
    const appeal = (communityCode: string, description: string) =>
      createAppeal(db, { channel: 'phone', kind: 'complaint', categoryCode: 'parking.shortage', description, communityCode }, systemViewer);
    const gate = await appeal(JINGTIE, '西南门外空地堆放杂物，居民停车难');
    const night = await appeal(JINGTIE, '晚上回来找不到车位，希望利用闲置空间');
    const elsewhere = await appeal(fengtai.communities[1]!, '别的社区的停车诉求');

    const { login, password } = await world.user('org_department', '110106', '丰台区委组织部');
    const page = await world.loggedInPage(login, password);

    // ---- Propose it from the board.
    await page.goto(`${world.baseUrl}/projects`);
    await page.getByTestId('project-board').waitFor();
    await page.getByTestId('project-new').click();
    await page.getByTestId('project-form').waitFor();
    await page.getByTestId('project-community').click();
    await page.keyboard.type('京铁家园');
    await page.locator(`[data-testid="division-option"][data-code="${JINGTIE}"]`).click();
    await page.getByTestId('project-title').fill(TITLE);
    await page.getByTestId('project-category').click();
    await page.keyboard.type('停车难');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: /^停车难$/ }).click();
    await page.getByTestId('project-origin').click();
    await option(page, '历史遗留问题').click();
    expect(await page.getByTestId('project-historical').isChecked()).toBe(true);
    await page.getByTestId('project-lead').click();
    await page.locator('[data-testid="lead-option"][data-name="贾岚"]').click();
    await pickDate(page, 'project-planned-start', '2023-05-01');
    await pickDate(page, 'project-planned-end', '2023-10-31');
    await page.getByTestId('project-households').fill('300');
    await screenshot(page, 'project-new');
    await page.getByTestId('project-submit').click();
    await page.waitForURL(/\/projects\/\d+$/);
    const header = page.locator('[data-testid="project-header"][data-status="proposed"]');
    await header.waitFor();
    const id = Number(await header.getAttribute('data-id'));
    const project = () => db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(await project()).toMatchObject({
      community_code: JINGTIE,
      title: TITLE,
      category_code: 'parking.shortage',
      origin: 'historical_problem',
      historical: true,
      lead_posting_id: fengtai.jiaPosting.id,
      planned_start_date: '2023-05-01',
      planned_end_date: '2023-10-31',
      households_benefited: 300,
      status: 'proposed',
    });

    // ---- The units around the table (吹哨报到).
    await page.getByTestId('stakeholder-add').click();
    await page.getByTestId('stakeholder-unit').click();
    await page.keyboard.type('园林');
    await page.locator('[data-testid="unit-option"][data-name="丰台区园林绿化局"]').click();
    await submit(page, 'stakeholder');
    await page.locator('[data-testid="stakeholder-row"][data-unit="丰台区园林绿化局"]').waitFor();
    const stakeholders = await db.selectFrom('project_stakeholder').select(['unit_id', 'role']).where('project_id', '=', id).execute();
    expect(stakeholders).toEqual([{ unit_id: units.landscaping.id, role: 'coordinating' }]);

    // ---- Approval before any consultation: refused in the dialog, nothing written.
    await page.getByTestId('transition-approved').click();
    await refused(page, 'transition', /立项前须征求居民意见：\d{4}-\d{2}-\d{2} 前没有征求意见记录/);
    await screenshot(page, 'project-approval-refused');
    await page.getByTestId('transition-cancel').click();
    expect((await project()).status).toBe('proposed');
    expect(await db.selectFrom('project_status_change').select('to_status').where('project_id', '=', id).execute()).toEqual([
      { to_status: 'proposed' },
    ]);

    // ---- A resident meeting: more votes than people is refused beside the field, then recorded.
    await page.getByTestId('consultation-add').click();
    await page.getByTestId('consultation-participants').fill('80');
    await page.getByTestId('consultation-support').fill('90');
    await refused(page, 'consultation', '赞成、反对、弃权共 90 人，多于参与的 80 人');
    await page.getByTestId('consultation-support').fill('70');
    await page.getByTestId('consultation-oppose').fill('4');
    await page.getByTestId('consultation-abstain').fill('6');
    await page.getByTestId('consultation-summary').fill('居民议事会：同意改建，优先保障本楼门居民');
    await submit(page, 'consultation');
    await page.getByTestId('consultations').getByText('居民议事会：同意改建').waitFor();
    expect(
      await db
        .selectFrom('project_consultation')
        .select(['held_on', 'form', 'participants', 'support', 'oppose', 'abstain'])
        .where('project_id', '=', id)
        .execute(),
    ).toEqual([{ held_on: today, form: 'meeting', participants: 80, support: 70, oppose: 4, abstain: 6 }]);

    await move(page, 'approved');
    expect((await project()).status).toBe('approved');

    // ---- Two milestones, weighted 3 and 1: progress is theirs, never typed.
    for (const [title, weight] of [
      ['清理堆物、拆除违建', '3'],
      ['停车场建成投用', '1'],
    ] as const) {
      await page.getByTestId('milestone-add').click();
      await page.getByTestId('milestone-title').fill(title);
      await page.getByTestId('milestone-weight').fill(weight);
      await submit(page, 'milestone');
      await page.locator(`[data-testid="milestone"][data-title="${title}"]`).waitFor();
    }
    const first = page.locator('[data-testid="milestone"][data-title="清理堆物、拆除违建"]');
    const second = page.locator('[data-testid="milestone"][data-title="停车场建成投用"]');
    // Not started yet: a milestone cannot be done.
    await first.getByTestId('milestone-mark-done').click();
    await refused(page, 'milestone-done', '项目尚未开工，里程碑不能完成');
    await page.getByTestId('milestone-done-cancel').click();
    expect(
      await db.selectFrom('project_milestone').select('done_on').where('project_id', '=', id).where('done_on', 'is not', null).execute(),
    ).toEqual([]);

    await move(page, 'in_progress');
    expect(await project()).toMatchObject({ status: 'in_progress', actual_start_date: today });
    await first.getByTestId('milestone-mark-done').click();
    await submit(page, 'milestone-done');
    await expect.poll(() => page.getByTestId('project-progress').textContent()).toBe('75%');
    await second.getByTestId('milestone-mark-done').click();
    await submit(page, 'milestone-done');
    await expect.poll(() => page.getByTestId('project-progress').textContent()).toBe('100%');
    expect(
      await db.selectFrom('project_milestone').select(['title', 'weight', 'done_on']).where('project_id', '=', id).orderBy('id').execute(),
    ).toEqual([
      { title: '清理堆物、拆除违建', weight: 3, done_on: today },
      { title: '停车场建成投用', weight: 1, done_on: today },
    ]);

    // ---- Funds: a negative amount is refused with the server's words, then the real one.
    await page.getByTestId('fund-add').click();
    await page.getByTestId('fund-amount').fill('-5000');
    await page.getByTestId('fund-source').click();
    await page.keyboard.type('产权');
    await page.locator('[data-testid="unit-option"][data-name="京铁家园产权单位"]').click();
    await page.getByTestId('fund-submit').click();
    await page.getByTestId('fund-form').getByText('应当为 > 0').waitFor();
    await screenshot(page, 'project-fund-refused');
    expect(await db.selectFrom('project_fund').select('id').where('project_id', '=', id).execute()).toEqual([]);
    await page.getByTestId('fund-amount').fill('860000.5');
    await submit(page, 'fund');
    await expect.poll(() => page.getByTestId('funds-total').textContent()).toBe('860,000.50');
    expect(
      await db.selectFrom('project_fund').select(['amount', 'source_unit_id', 'received_on']).where('project_id', '=', id).execute(),
    ).toEqual([{ amount: 860_000.5, source_unit_id: units.propertyRights.id, received_on: today }]);

    // ---- The output: 120 parking spaces planned, then reached.
    await page.getByTestId('output-add').click();
    await page.getByTestId('output-target').fill('120');
    await submit(page, 'output');
    const spaces = page.locator('[data-testid="output-row"][data-kind="parking_spaces"]');
    await expect.poll(() => spaces.getByTestId('output-achieved-text').textContent()).toBe('0 / 120 个');
    await spaces.getByTestId('output-update').click();
    await page.getByTestId('output-update-achieved').fill('120');
    await submit(page, 'output-update');
    await expect.poll(() => spaces.getByTestId('output-achieved-text').textContent()).toBe('120 / 120 个');
    expect(
      await db.selectFrom('project_output').select(['kind', 'target', 'achieved', 'completed_on']).where('project_id', '=', id).execute(),
    ).toEqual([{ kind: 'parking_spaces', target: 120, achieved: 120, completed_on: today }]);

    // ---- The appeals it answers: only the community's own are offered; link two, unlink one.
    await page.getByTestId('appeals-link').click();
    const choice = (ticket: string) => page.locator(`[data-testid="appeal-choice"][data-ticket="${ticket}"]`);
    await choice(gate.ticketNo).waitFor();
    await choice(night.ticketNo).waitFor();
    expect(await choice(elsewhere.ticketNo).count()).toBe(0);
    await choice(gate.ticketNo).locator('input[type="checkbox"]').check();
    await choice(night.ticketNo).locator('input[type="checkbox"]').check();
    await screenshot(page, 'project-link-appeals');
    await page.getByTestId('link-appeals-submit').click();
    await page.getByTestId('link-appeals-form').waitFor({ state: 'detached' });
    const linkedRow = (ticket: string) => page.locator(`[data-testid="linked-appeal-row"][data-ticket="${ticket}"]`);
    await linkedRow(night.ticketNo).waitFor();
    await linkedRow(night.ticketNo).getByTestId('appeal-unlink').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await linkedRow(night.ticketNo).waitFor({ state: 'detached' });
    expect(await db.selectFrom('project_appeal').select('appeal_id').where('project_id', '=', id).execute()).toEqual([
      { appeal_id: gate.id },
    ]);

    // ---- Completed: the buttons are gone with the open statuses.
    await move(page, 'completed');
    expect(await project()).toMatchObject({ status: 'completed', actual_start_date: today, actual_end_date: today });
    expect(await db.selectFrom('project_status_change').select('to_status').where('project_id', '=', id).orderBy('id').execute()).toEqual(
      ['proposed', 'approved', 'in_progress', 'completed'].map((s) => ({ to_status: s })),
    );
    expect(await page.locator('[data-testid^="transition-"]').count()).toBe(0);
    expect(await page.getByTestId('milestone-add').count()).toBe(0);
    await withoutToasts(page);
    await page.setViewportSize({ width: 1400, height: 1600 });
    await screenshot(page, 'project-completed');
    await page.setViewportSize({ width: 1400, height: 900 });

    // ---- The achievement report of the Fengtai program credits 贾岚's posting with it.
    await page.goto(`${world.baseUrl}/projects/report?program=${fengtai.program.id}`);
    const funds = page.getByTestId('total-funds');
    await expect.poll(() => funds.textContent()).toContain('860,000.50');
    const stored = await db
      .selectFrom('project_fund')
      .select((eb) => eb.fn.sum<number>('amount').as('total'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.total)).toBe(860_000.5);
    const outputs = page.getByTestId('report-outputs');
    await expect.poll(() => outputs.textContent()).toContain('停车位');
    expect(await outputs.textContent()).toContain('120 / 120 个');
    expect(await page.getByTestId('total-problems').textContent()).toContain('1');
    expect(await page.getByTestId('total-appeals').textContent()).toContain('1');
    expect(await page.getByTestId('report-projects').textContent()).toContain(TITLE);
    expect(await page.getByTestId('report-xlsx').getAttribute('href')).toBe(`/api/v1/programs/${fengtai.program.id}/report.xlsx`);
    await screenshot(page, 'achievement-report-project');

    // ---- In English: the page and the workbook.
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('report-outputs').textContent()).toContain('Parking spaces');
    expect(await page.getByTestId('report-outputs').textContent()).toContain('120 / 120 spaces');
    expect(await page.getByTestId('report-projects').textContent()).toContain('Completed');
    expect(await page.getByTestId('report-projects').textContent()).toContain('Parking shortage');
    expect(await page.getByTestId('resolution-rule').textContent()).toMatch(/^Each community is split/);
    expect(await page.locator('h3').first().textContent()).toMatch(
      /^Achievement report: 丰台区治理书记 \(2021-11-30 to \d{4}-\d{2}-\d{2}\)/,
    );
    const href = await page.getByTestId('report-xlsx').getAttribute('href');
    expect(href).toBe(`/api/v1/programs/${fengtai.program.id}/report.xlsx?lang=en`);
    const xlsx = await page.request.get(`${world.baseUrl}${href}`);
    expect(xlsx.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Summary', 'By category', 'Outputs', 'Before and after', 'Projects']);
    const summary = new Map<string, unknown>();
    book.getWorksheet('Summary')!.eachRow((row) => summary.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(summary.get('Funds secured (yuan)')).toBe(860_000.5);
    expect(book.getWorksheet('Outputs')!.getRow(2).values).toEqual([undefined, 'Parking spaces', 'spaces', 1, 1, 120, 120]);
    await screenshot(page, 'achievement-report-en');
    await page.context().close();
  }, 240_000);

  it('shows a reader who may not change projects no buttons to change them', async () => {
    const [project] = await world.db.kysely.selectFrom('project').select('id').where('title', '=', TITLE).execute();
    const { login, password } = await world.user('hotline_office', '110106', '丰台区接诉即办办公室');
    const page = await world.loggedInPage(login, password);
    await page.goto(`${world.baseUrl}/projects`);
    await page.getByTestId('project-board').waitFor();
    expect(await page.getByTestId('project-new').count()).toBe(0);
    await page.goto(`${world.baseUrl}/projects/${project!.id}`);
    await page.getByTestId('project-header').waitFor();
    await page.getByTestId('stakeholders').waitFor();
    for (const control of [
      'stakeholder-add',
      'consultation-add',
      'fund-add',
      'output-add',
      'appeals-link',
      'output-update',
      'appeal-unlink',
      'stakeholder-remove',
    ]) {
      expect(await page.getByTestId(control).count(), control).toBe(0);
    }
    // The page in English: the server's Chinese labels give way to the app's own words.
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('outputs').textContent()).toContain('Parking spaces');
    expect(await page.getByTestId('outputs').textContent()).toContain('120 / 120 spaces');
    expect(await page.getByTestId('project-header').textContent()).toContain('Parking shortage');
    expect(await page.getByTestId('project-header').textContent()).toContain('Historical problem');
    expect(await page.getByTestId('stakeholders').textContent()).toContain('Coordinating');
    expect(await page.getByTestId('consultations').textContent()).toContain('Meeting');
    await page.setViewportSize({ width: 1400, height: 1600 });
    await screenshot(page, 'project-en');
    await page.context().close();
  });
});
