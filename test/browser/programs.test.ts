import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addDays, shanghaiToday } from '../../src/shared/dates.ts';
import * as programs from '../../src/domains/programs/service.ts';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

const FENGTAI = '110106';
const JTJY = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区

/** PROGRAMS_PEEK=1 also photographs dialogs, tabs and the English pages into the temp directory, for a look. */
const peeking = process.env.PROGRAMS_PEEK === '1';
async function peek(page: Page, name: string, fullPage = false): Promise<void> {
  if (!peeking) return;
  await page
    .waitForFunction(() => !document.querySelector('[class*="-enter"], [class*="-appear"], [class*="-leave"]'), undefined, {
      timeout: 5000,
    })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(os.tmpdir(), `programs-peek-${name}.png`), fullPage, animations: 'disabled' });
}

/** Types a date into an antd DatePicker (its input carries the test id, or holds it). */
async function pickDate(page: Page, testId: string, date: string): Promise<void> {
  const el = page.getByTestId(testId);
  const input = (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input');
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** An option of the open select popup, by its text. */
function option(page: Page, text: string | RegExp): Locator {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text });
}

async function withoutToasts(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 10_000 });
}

/** Picks categories in a categories tree select by their Chinese names. */
async function pickCategories(page: Page, testId: string, names: string[]): Promise<void> {
  for (const name of names) {
    await page.getByTestId(testId).click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: new RegExp(`^${name}$`) }).click();
  }
  await page.keyboard.press('Escape');
}

async function recordCadre(
  page: Page,
  c: { name: string; unit: string; unitType: string; position: string; expertise: string[]; phone?: string },
): Promise<void> {
  await page.getByTestId('cadre-new').click();
  await page.getByTestId('cadre-form').waitFor();
  await page.getByTestId('cadre-name').fill(c.name);
  await page.getByTestId('cadre-position').fill(c.position);
  // The origin unit is registered on the spot.
  await page.getByTestId('unit-new').click();
  await page.getByTestId('unit-name').fill(c.unit);
  await page.getByTestId('unit-type-select').click();
  await option(page, c.unitType).click();
  await page.getByTestId('unit-submit').click();
  await page.getByTestId('unit-form').waitFor({ state: 'detached' });
  expect(await page.getByTestId('cadre-unit').textContent()).toContain(c.unit);
  await pickCategories(page, 'cadre-expertise', c.expertise);
  if (c.phone) await page.getByTestId('cadre-phone').fill(c.phone);
  await peek(page, `cadre-${c.name}`);
  await page.getByTestId('cadre-submit').click();
  await page.getByTestId('cadre-form').waitFor({ state: 'detached' });
  await page.locator(`[data-testid="cadre-row"][data-name="${c.name}"]`).waitFor();
}

// The three steps run in order on one server: each picks up what the one before recorded.
describe('secretary programs in the browser', () => {
  let org: { login: string; password: string };
  let programId = 0;
  let jiaPostingId = 0;
  let tianPostingId = 0;

  it("Fengtai's organization department opens the program and batch 1, records 贾岚 and 田慧林, and posts 贾岚 to 京铁家园社区", async () => {
    org = await world.user('org_department', FENGTAI, '丰台区委组织部');
    const page = await world.loggedInPage(org.login, org.password);

    // ---- The governance-secretary program of Fengtai: the kind's rules are the defaults.
    await page.goto(`${world.baseUrl}/programs`);
    await page.getByTestId('programs-table').waitFor();
    await page.getByTestId('program-new').click();
    await page.getByTestId('program-form').waitFor();
    expect(await page.getByTestId('program-district').textContent()).toContain('丰台区');
    expect(await page.getByTestId('program-name').inputValue()).toBe('丰台区治理书记');
    await peek(page, 'program-new');
    await page.getByTestId('program-submit').click();
    await page.getByTestId('program-detail').waitFor();
    expect(await page.getByTestId('program-title').textContent()).toBe('丰台区治理书记');
    programId = Number(await page.getByTestId('program-detail').getAttribute('data-id'));

    // ---- Batch 1 from 2021-11-30, with 京铁家园社区 and why it was chosen.
    await page.getByTestId('batch-new').click();
    await pickDate(page, 'batch-start', '2021-11-30');
    await page.getByTestId('batch-notes').fill('首批 26 个重点社区');
    await page.getByTestId('batch-submit').click();
    await page.locator('[data-testid="batch-view"][data-number="1"]').waitFor();
    await page.getByTestId('batch-add-communities').click();
    await page.getByTestId('communities-form').waitFor();
    await page.getByTestId('community-search').click();
    await page.keyboard.type('京铁家园');
    await page.locator(`[data-testid="division-option"][data-code="${JTJY}"]`).click();
    await page.locator(`[data-testid="chosen-row"][data-code="${JTJY}"]`).waitFor();
    await page.getByTestId('chosen-note').fill('多次进入全市诉求前100，停车管理等历史遗留问题');
    await peek(page, 'add-communities');
    await page.getByTestId('communities-submit').click();
    const jtjyRow = page.locator(`[data-testid="batch-community-row"][data-code="${JTJY}"]`);
    await jtjyRow.waitFor();
    expect(await jtjyRow.getByTestId('evidence').textContent()).toContain('停车管理等历史遗留问题');

    // ---- The two cadres, each with an origin unit registered on the spot.
    await page.goto(`${world.baseUrl}/programs/cadres`);
    await page.getByTestId('cadres-table').waitFor();
    await recordCadre(page, {
      name: '贾岚',
      unit: '丰台区住房和城乡建设委员会',
      unitType: '党政机关',
      position: '干部',
      expertise: ['停车管理', '房屋住建'],
      phone: '13812345678',
    });
    await recordCadre(page, {
      name: '田慧林',
      unit: '六里桥街道党群工作办公室',
      unitType: '街道（乡镇）',
      position: '科长',
      expertise: ['停车管理', '电梯'],
    });
    const tianRow = page.locator('[data-testid="cadre-row"][data-name="田慧林"]');
    expect(await tianRow.getByTestId('unit-type').textContent()).toBe('街道（乡镇）');
    // The organization department sees the phone whole.
    expect(await page.locator('[data-testid="cadre-row"][data-name="贾岚"]').textContent()).toContain('13812345678');

    // ---- 贾岚 to 京铁家园社区. A start before the batch is refused with the server's reason, then corrected.
    await page.goto(`${world.baseUrl}/programs/${programId}`);
    await jtjyRow.getByTestId('post-here').click();
    await page.getByTestId('posting-form').waitFor();
    await page.getByTestId('posting-cadre').click();
    await page.keyboard.type('贾岚');
    await page.locator('[data-testid="cadre-option"][data-name="贾岚"]').click();
    await pickDate(page, 'posting-start', '2021-11-01');
    await page.getByTestId('posting-submit').click();
    const form = page.getByTestId('posting-form');
    await form.getByText('开始日期 2021-11-01 不在第 1 批的期间（2021-11-30 — …）内').waitFor();
    await peek(page, 'posting-refused');
    await pickDate(page, 'posting-start', '2021-11-30');
    await page.getByTestId('posting-submit').click();
    await form.waitFor({ state: 'detached' });
    const jiaRow = page.locator('[data-testid="posting-row"][data-cadre="贾岚"]');
    await jiaRow.waitFor();
    expect(await jtjyRow.getByTestId('current-secretary').textContent()).toBe('贾岚');

    // A second secretary for the same community at the same time: refused, and the page says who holds it.
    await page.getByTestId('posting-new').click();
    await page.getByTestId('posting-community').click();
    await option(page, '京铁家园社区').click();
    await page.getByTestId('posting-cadre').click();
    await page.keyboard.type('田慧林');
    await page.locator('[data-testid="cadre-option"][data-name="田慧林"]').click();
    await page.getByTestId('posting-submit').click();
    await form.getByText(/京铁家园社区在 2021-11-30 至 今 已有书记贾岚（选派 \d+），同一时间只能有一名/).waitFor();
    await peek(page, 'posting-overlap');
    await page.getByTestId('posting-cancel').click();
    await form.waitFor({ state: 'detached' });
    expect(await page.getByTestId('roster-cadres').textContent()).toContain('1');
    await withoutToasts(page);
    await page.setViewportSize({ width: 1400, height: 1200 });
    await screenshot(page, 'programs');
    if (peeking) {
      await page.getByTestId('lang-switch').getByText('English').click();
      await page.getByTestId('batch-view').getByText('Communities covered (1)').waitFor();
      await peek(page, 'programs-en');
      await page.getByTestId('lang-switch').getByText('中文').click();
    }

    // ---- The roster (and its Excel) and the weekly compliance of the program.
    await page.getByTestId('tab-roster').click();
    await page.getByTestId('roster-by-type').getByText('党政机关').waitFor();
    expect(await page.getByTestId('roster-by-community').textContent()).toContain('贾岚');
    await peek(page, 'roster');
    const xlsx = await page.request.get(`${world.baseUrl}${await page.getByTestId('roster-export').getAttribute('href')}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await page.getByTestId('tab-compliance').click();
    expect(await page.getByTestId('compliance-rule').textContent()).toContain('本项目不设每周在岗要求');
    expect(await page.getByTestId('compliance-rule').textContent()).toContain('floor(每周最少天数 × 覆盖天数 ÷ 7)');
    await peek(page, 'compliance');
    await page.context().close();
  }, 180_000);

  it('田慧林 succeeds 贾岚 from 2023-02-01, with a handover of notes, open items and contacts', async () => {
    const page = await world.loggedInPage(org.login, org.password);
    await page.goto(`${world.baseUrl}/programs/${programId}`);
    await page.locator('[data-testid="posting-row"][data-cadre="贾岚"]').getByTestId('posting-link').click();
    await page.getByTestId('posting-detail').waitFor();
    jiaPostingId = Number(await page.getByTestId('posting-detail').getAttribute('data-id'));
    await page.getByTestId('posting-succeed').click();
    await page.getByTestId('succession-form').waitFor();
    await page.getByTestId('succession-cadre').click();
    await page.keyboard.type('田慧林');
    await page.locator('[data-testid="cadre-option"][data-name="田慧林"]').click();
    await pickDate(page, 'succession-start', '2023-02-01');
    await page.getByTestId('handover-notes').fill('北侧停车场已建成投用（791 个车位），转入规范停车管理');
    await page.getByTestId('handover-open-item').first().fill('规范停车管理');
    await page.getByTestId('handover-add-item').click();
    await page.getByTestId('handover-open-item').nth(1).fill('50 余部电梯更新');
    await page.getByTestId('handover-add-contact').click();
    await page.getByTestId('handover-contact-name').fill('物业项目经理');
    await page.getByTestId('handover-contact-role').fill('物业服务企业');
    await page.getByTestId('handover-contact-phone').fill('13900001111');
    await peek(page, 'succession');
    await page.getByTestId('succession-submit').click();
    const successor = page.locator(`[data-testid="posting-detail"]:not([data-id="${jiaPostingId}"])`);
    await successor.waitFor();
    expect(await page.getByTestId('posting-title').textContent()).toBe('田慧林 · 京铁家园社区');
    expect(await page.getByTestId('posting-kind').first().textContent()).toBe('接任');
    expect(await page.getByTestId('handover-in').textContent()).toContain('转入规范停车管理');
    expect(await page.getByTestId('handover-items').textContent()).toContain('50 余部电梯更新');
    expect(await page.getByTestId('posting-predecessor').getAttribute('href')).toBe(`/programs/postings/${jiaPostingId}`);
    await page.getByTestId('posting-predecessor').filter({ hasText: '贾岚（2021-11-30 — 2023-01-31）' }).waitFor();
    tianPostingId = Number(await successor.getAttribute('data-id'));
    // 贾岚's record: one posting, ended the day before her successor began.
    await page.getByTestId('posting-predecessor').click();
    await page.locator(`[data-testid="posting-detail"][data-id="${jiaPostingId}"]`).waitFor();
    expect(await page.getByTestId('posting-end-date').textContent()).toBe('2023-01-31');
    await page.getByTestId('posting-cadre-link').click();
    await page.getByTestId('cadre-detail').waitFor();
    expect(await page.getByTestId('cadre-chain-span').textContent()).toBe('2021-11-30 — 2023-01-31');
    expect(await page.getByTestId('cadre-phone-shown').textContent()).toBe('13812345678');
    await peek(page, 'cadre', true);
    await page.context().close();
  }, 180_000);

  it("田慧林's own login logs a duty day, is told why a future day is refused, and reads 贾岚 → 田慧林; the rows are stored", async () => {
    const secretary = await world.user('secretary', JTJY, '田慧林');
    const { id: userId } = await world.db.kysely
      .selectFrom('app_user')
      .select('id')
      .where('login', '=', secretary.login)
      .executeTakeFirstOrThrow();
    const { id: tianId } = await world.db.kysely.selectFrom('cadre').select('id').where('name', '=', '田慧林').executeTakeFirstOrThrow();
    const fengtaiOrg: Viewer = { userId: null, actor: org.login, role: 'org_department', scopeCode: FENGTAI };
    await programs.linkCadreUser(world.db.kysely, tianId, userId, fengtaiOrg);

    const own = await world.loggedInPage(secretary.login, secretary.password);
    await own.goto(`${world.baseUrl}/programs`);
    await own.getByTestId('my-postings').getByTestId('my-posting-link').filter({ hasText: '京铁家园社区' }).waitFor();
    await peek(own, 'mine');
    await own.getByTestId('my-postings').getByTestId('my-posting-link').filter({ hasText: '京铁家园社区' }).click();
    await own.locator(`[data-testid="posting-detail"][data-id="${tianPostingId}"]`).waitFor();
    // A secretary logs days but does not manage postings.
    expect(await own.getByTestId('posting-succeed').count()).toBe(0);
    await pickDate(own, 'duty-date', '2023-02-06');
    await own.getByTestId('duty-hours').fill('4');
    await own.getByTestId('duty-work').fill('与物业、楼门长协商 50 余部电梯更新的施工安排');
    await own.getByTestId('duty-with').fill('社区书记、物业项目经理');
    await own.getByTestId('duty-submit').click();
    await own.getByTestId('duty-saved').filter({ hasText: '已登记 2023-02-06' }).waitFor();
    await own.locator('[data-testid="duty-cell"][data-date="2023-02-06"][data-logged="true"]').waitFor();
    expect(await own.getByTestId('duty-table').textContent()).toContain('电梯更新的施工安排');

    // Tomorrow (Beijing time) has not come yet: refused, with the reason beside the date.
    const today = shanghaiToday();
    const tomorrow = addDays(today, 1);
    await pickDate(own, 'duty-date', tomorrow);
    await own.getByTestId('duty-work').fill('预先登记');
    await own.getByTestId('duty-submit').click();
    const reason = `${tomorrow} 还没到（今天是 ${today}），不能预先登记`;
    await own.getByTestId('duty-form').getByText(reason).waitFor();
    await withoutToasts(own);
    await own.setViewportSize({ width: 1400, height: 1300 });
    await own.evaluate(() => window.scrollTo(0, 0));
    await screenshot(own, 'posting');
    if (peeking) {
      await own.getByTestId('lang-switch').getByText('English').click();
      await own.getByTestId('duty-days').getByText('Duty-day calendar').waitFor();
      await peek(own, 'posting-en', true);
      await own.getByTestId('lang-switch').getByText('中文').click();
    }

    // ---- 田慧林 takes an apprentice: a training, and a task the apprentice now handles alone.
    await own.getByTestId('appr-new').click();
    await own.getByTestId('appr-name').fill('王小雨');
    await own.getByTestId('appr-position').fill('社区居委会委员');
    await own.getByTestId('appr-submit').click();
    const apprentice = own.locator('[data-testid="apprenticeship"][data-name="王小雨"]');
    await apprentice.waitFor();
    await apprentice.getByTestId('training-topic').fill('如何组织楼门议事会');
    await apprentice.getByTestId('training-submit').click();
    await apprentice.getByTestId('appr-trainings').getByText('如何组织楼门议事会').waitFor();
    await apprentice.getByTestId('task-description').fill('独立主持楼门议事会');
    await apprentice.getByTestId('task-submit').click();
    await apprentice.getByTestId('appr-task').filter({ hasText: '独立主持楼门议事会' }).waitFor();
    await peek(own, 'apprentices', true);

    // ---- The community's secretaries: 贾岚 → 田慧林, with the handover between them.
    await own.getByTestId('posting-community-link').click();
    const history = own.locator(`[data-testid="community-history"][data-code="${JTJY}"]`);
    await history.waitFor();
    expect(await history.getByTestId('chain-name').allTextContents()).toEqual(['贾岚', '田慧林']);
    expect(await history.getByTestId('secretary-span').allTextContents()).toEqual(['2021-11-30 — 2023-01-31', '2023-02-01 — 至今']);
    expect(await history.getByTestId('secretary-handover').textContent()).toContain('物业项目经理');
    // Contacts' phones are masked for a secretary.
    expect(await history.getByTestId('secretary-handover').textContent()).toContain('139****1111');
    // Matching: 田慧林's expertise fits parking; picked by hand while the community has no appeals.
    await pickCategories(own, 'match-categories', ['停车管理']);
    await own.locator('[data-testid="match-row"][data-name="贾岚"]').waitFor();
    expect(await own.getByTestId('match-row').count()).toBe(2);
    await own.keyboard.press('Escape');
    await withoutToasts(own);
    await own.setViewportSize({ width: 1400, height: 1100 });
    await own.evaluate(() => window.scrollTo(0, 0));
    await screenshot(own, 'secretary-history');
    if (peeking) {
      await own.getByTestId('lang-switch').getByText('English').click();
      await history.getByText('Secretaries of 京铁家园社区').waitFor();
      await peek(own, 'secretary-history-en', true);
      await own.getByTestId('lang-switch').getByText('中文').click();
    }

    // The same chain on the geography page's community detail.
    await own.goto(`${world.baseUrl}/geo/${JTJY}`);
    await own.getByTestId('community-secretaries').getByTestId('chain-name').nth(1).waitFor();
    expect(await own.getByTestId('community-secretaries').getByTestId('chain-name').allTextContents()).toEqual(['贾岚', '田慧林']);
    await peek(own, 'geo', true);
    await own.context().close();

    // ---- What was stored.
    const db = world.db.kysely;
    const units = await db.selectFrom('unit').select(['name', 'type', 'district_code']).orderBy('id').execute();
    expect(units).toEqual([
      { name: '丰台区住房和城乡建设委员会', type: 'party_government_agency', district_code: FENGTAI },
      { name: '六里桥街道党群工作办公室', type: 'street_office', district_code: FENGTAI },
    ]);
    const cadres = await db.selectFrom('cadre').select(['name', 'position', 'expertise', 'phone']).orderBy('id').execute();
    expect(cadres).toEqual([
      { name: '贾岚', position: '干部', expertise: ['parking', 'housing'], phone: '13812345678' },
      { name: '田慧林', position: '科长', expertise: ['parking', 'elevator'], phone: null },
    ]);
    const program = await db.selectFrom('program').selectAll().where('id', '=', programId).executeTakeFirstOrThrow();
    expect(program).toMatchObject({
      kind: 'governance_secretary',
      name: '丰台区治理书记',
      district_code: FENGTAI,
      min_duty_days_per_week: 0,
    });
    const batch = await db.selectFrom('batch').selectAll().where('program_id', '=', programId).executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ number: 1, start_date: '2021-11-30', end_date: null, notes: '首批 26 个重点社区' });
    const covered = await db.selectFrom('batch_community').selectAll().where('batch_id', '=', batch.id).execute();
    expect(covered.map((c) => c.community_code)).toEqual([JTJY]);
    const evidence =
      typeof covered[0]!.selection_evidence === 'string' ? JSON.parse(covered[0]!.selection_evidence) : covered[0]!.selection_evidence;
    expect(evidence).toMatchObject({ note: '多次进入全市诉求前100，停车管理等历史遗留问题' });
    const postings = await db.selectFrom('posting').selectAll().where('program_id', '=', programId).orderBy('start_date').execute();
    expect(postings).toHaveLength(2);
    expect(postings[0]).toMatchObject({
      id: jiaPostingId,
      community_code: JTJY,
      kind: 'new',
      start_date: '2021-11-30',
      end_date: '2023-01-31',
      predecessor_posting_id: null,
    });
    expect(postings[1]).toMatchObject({
      id: tianPostingId,
      cadre_id: tianId,
      community_code: JTJY,
      kind: 'succession',
      start_date: '2023-02-01',
      end_date: null,
      predecessor_posting_id: jiaPostingId,
    });
    const handover = await db.selectFrom('handover').selectAll().executeTakeFirstOrThrow();
    expect(handover).toMatchObject({
      from_posting_id: jiaPostingId,
      to_posting_id: tianPostingId,
      handover_date: '2023-02-01',
      notes: '北侧停车场已建成投用（791 个车位），转入规范停车管理',
    });
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(json(handover.open_items)).toEqual([{ description: '规范停车管理' }, { description: '50 余部电梯更新' }]);
    expect(json(handover.contacts)).toEqual([{ name: '物业项目经理', role: '物业服务企业', phone: '13900001111' }]);
    const days = await db.selectFrom('duty_day').selectAll().execute();
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({
      posting_id: tianPostingId,
      duty_date: '2023-02-06',
      hours: 4,
      with_whom: '社区书记、物业项目经理',
      logged_by: secretary.login,
    });
    const apprenticeship = await db.selectFrom('apprenticeship').selectAll().executeTakeFirstOrThrow();
    expect(apprenticeship).toMatchObject({
      posting_id: tianPostingId,
      apprentice_name: '王小雨',
      apprentice_position: '社区居委会委员',
      start_date: today,
      status: 'active',
    });
    expect(
      await db
        .selectFrom('apprenticeship_training')
        .select(['topic', 'training_date'])
        .where('apprenticeship_id', '=', apprenticeship.id)
        .execute(),
    ).toEqual([{ topic: '如何组织楼门议事会', training_date: today }]);
    expect(
      await db
        .selectFrom('apprenticeship_task')
        .select(['description', 'since_date'])
        .where('apprenticeship_id', '=', apprenticeship.id)
        .execute(),
    ).toEqual([{ description: '独立主持楼门议事会', since_date: today }]);
  }, 180_000);
});
