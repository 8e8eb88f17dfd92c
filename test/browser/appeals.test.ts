import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { heldUploadsDir } from '../../src/domains/appeals/import/held-uploads.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

const FENGTAI = '110106';
const LIULIQIAO = '110106008'; // 六里桥街道
const JTJY = '110106008028'; // 京铁家园社区
const DESCRIPTION = '小区停车难，晚上车辆乱停，消防通道经常被占，希望规划停车位';
const HOUR = 3_600_000;

async function openAppeal(page: Page, id: number): Promise<Locator> {
  await page.goto(`${world.baseUrl}/appeals/${id}`);
  const detail = page.locator(`[data-testid="appeal-detail"][data-id="${id}"]`);
  await detail.waitFor();
  return detail;
}

/** Opens a step's dialog, lets `fill` fill it, submits, and waits for the status it leads to. */
async function takeStep(page: Page, step: string, status: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
  await page.getByTestId(`appeal-step-${step}`).click();
  const form = page.locator(`[data-testid="step-form"][data-step="${step}"]`);
  await form.waitFor();
  await fill?.(form);
  await page.getByTestId('step-submit').click();
  await page.locator(`[data-testid="appeal-detail"][data-status="${status}"]`).waitFor();
  await form.waitFor({ state: 'detached' });
}

/** Toasts (已办结…) fade by themselves; a screenshot waits for them so they do not cover the header. */
async function withoutToasts(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 10_000 });
}

async function eventTexts(page: Page): Promise<string[]> {
  return page.getByTestId('appeal-event').allTextContents();
}

// Four logins and a dozen steps: more than the default minute on a busy two-core machine.
const LONG = 180_000;

describe('appeals in the browser', () => {
  it(
    'the hotline files and dispatches, the street responds and handles, the hotline calls back and closes',
    async () => {
      const hotline = await world.user('hotline_office', FENGTAI, '王丽');
      const street = await world.user('street_office', LIULIQIAO, '李晓梅');

      // ---- The hotline office of Fengtai files the appeal through the form.
      const desk = await world.loggedInPage(hotline.login, hotline.password);
      await desk.goto(`${world.baseUrl}/appeals`);
      await desk.getByTestId('appeals-table').waitFor();
      await desk.getByTestId('appeal-new').click();
      await desk.getByTestId('appeal-form').waitFor();
      await desk.getByTestId('appeal-form-kind').getByText('投诉', { exact: true }).click();
      await desk.getByTestId('appeal-form-category').click();
      await desk.keyboard.type('停车难');
      await desk.locator('.ant-select-tree-node-content-wrapper', { hasText: /^停车难$/ }).click();
      await desk.getByTestId('appeal-form-place').click();
      await desk.keyboard.type('京铁家园');
      await desk.locator(`[data-testid="division-option"][data-code="${JTJY}"]`).click();
      await desk.getByTestId('appeal-form-description').fill(DESCRIPTION);
      await desk.getByTestId('appeal-form-address').fill('京铁家园小区 3 号楼东侧');
      await desk.getByTestId('appeal-form-reporter-name').fill('张三丰');
      await desk.getByTestId('appeal-form-reporter-phone').fill('13812345678');
      await desk.getByTestId('appeal-form-submit').click();

      const detail = desk.locator('[data-testid="appeal-detail"][data-status="received"]');
      await detail.waitFor();
      const id = Number(await detail.getAttribute('data-id'));
      expect(new URL(desk.url()).pathname).toBe(`/appeals/${id}`);
      const ticket = ((await desk.getByTestId('appeal-ticket').textContent()) ?? '').trim();
      expect(ticket).toMatch(/^MA-\d{4}-\d{6}$/);
      expect(await desk.getByTestId('appeal-place').textContent()).toBe('丰台区/六里桥街道/京铁家园社区');
      expect(await desk.getByTestId('appeal-category').textContent()).toBe('停车难');
      // The reporter is masked even for the hotline; unmasking is one deliberate, audited click.
      expect(await desk.getByTestId('appeal-reporter').textContent()).toBe('张** · 138****5678');
      await desk.getByTestId('appeal-reveal').click();
      await desk.getByTestId('appeal-reporter').filter({ hasText: '张三丰 · 13812345678' }).waitFor();
      expect(await desk.getByTestId('appeal-masked').count()).toBe(0);
      const looks = await world.db.kysely
        .selectFrom('audit_log')
        .select('actor')
        .where('action', '=', 'appeal.reveal_reporter')
        .where('entity_id', '=', String(id))
        .execute();
      expect(looks.map((l) => l.actor)).toEqual([hotline.login]);
      // The hotline may dispatch or close a received appeal, and nothing else.
      expect(
        await desk
          .getByTestId('appeal-actions')
          .locator('[data-testid^="appeal-step-"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))),
      ).toEqual(['appeal-step-dispatch', 'appeal-step-close']);

      // ---- Dispatch: the street's own office is offered.
      await takeStep(desk, 'dispatch', 'dispatched', async (form) => {
        expect(await form.getByTestId('step-unit-name').inputValue()).toBe('六里桥街道办事处');
        expect(await form.getByTestId('step-unit-type').textContent()).toContain('街道办事处');
      });
      expect(await desk.getByTestId('appeal-unit').textContent()).toContain('六里桥街道办事处');
      expect((await eventTexts(desk)).at(-1)).toContain('派单至 六里桥街道办事处（街道办事处）');
      expect(await desk.getByTestId('appeal-response-due').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      // Nothing is left for the hotline until the street has acted.
      expect(await desk.locator('[data-testid^="appeal-step-"]').count()).toBe(0);

      // ---- The Liuliqiao street office finds it in its queue.
      const office = await world.loggedInPage(street.login, street.password);
      await office.goto(`${world.baseUrl}/appeals`);
      const row = office.locator(`[data-testid="appeal-row"][data-ticket="${ticket}"]`);
      await row.waitFor();
      expect(await row.getByTestId('appeal-status').textContent()).toBe('已派单');
      expect(await row.textContent()).toContain('京铁家园社区');
      await row.getByTestId('appeal-link').click();
      await office.locator(`[data-testid="appeal-detail"][data-id="${id}"]`).waitFor();

      // A second tab of the same office responds first: this one's version is stale, so the
      // server refuses, the page says why and shows the appeal as it now is.
      const otherTab = await world.loggedInPage(street.login, street.password);
      await openAppeal(otherTab, id);
      await takeStep(otherTab, 'respond', 'responded');
      await otherTab.context().close();
      await office.getByTestId('appeal-step-respond').click();
      await office.getByTestId('step-submit').click();
      const conflict = office.getByTestId('appeal-conflict');
      await conflict.waitFor();
      expect(await conflict.textContent()).toContain('诉求已被他人更新');
      await office.locator('[data-testid="appeal-detail"][data-status="responded"]').waitFor();
      expect(await office.getByTestId('appeal-step-respond').count()).toBe(0);

      // ---- Handling, with its result in words.
      await takeStep(office, 'handle', 'handled', async (form) => {
        await form.getByTestId('step-result').fill('已协调物业清理消防通道，在小区西南门闲置空地划定临时停车位 20 个');
      });
      expect(await office.locator('[data-testid^="appeal-step-"]').count()).toBe(0);
      await office.context().close();

      // ---- The hotline calls the resident back and closes it.
      await desk.getByTestId('appeal-reload').click();
      await desk.locator('[data-testid="appeal-detail"][data-status="handled"]').waitFor();
      await takeStep(desk, 'callback', 'called_back', async (form) => {
        await form.getByTestId('step-contacted').getByText('是', { exact: true }).click();
        await form.getByTestId('step-solved').getByText('是', { exact: true }).click();
        await form.getByTestId('step-satisfaction').getByText('满意', { exact: true }).click();
      });
      expect(await desk.getByTestId('appeal-callback').textContent()).toContain('已联系，已解决，满意');
      await takeStep(desk, 'close', 'closed');

      const events = await eventTexts(desk);
      expect(events).toHaveLength(6);
      const words = [
        ['受理', '诉求已受理', hotline.login],
        ['派单', '派单至 六里桥街道办事处（街道办事处）', '响应时限'],
        ['响应', '承办单位已联系诉求人', street.login],
        ['办理', '办理结果：已协调物业清理消防通道', street.login],
        ['回访', '回访：已联系，已解决，满意', hotline.login],
        ['办结', '诉求办结', hotline.login],
      ];
      words.forEach((parts, i) => {
        for (const part of parts) expect(events[i]).toContain(part);
      });
      for (const text of events) expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      await withoutToasts(desk);
      await screenshot(desk, 'appeal-timeline');

      const stored = await world.db.kysely.selectFrom('appeal').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        ticket_no: ticket,
        status: 'closed',
        contacted: true,
        solved: true,
        satisfaction: 'satisfied',
        community_code: JTJY,
        category_code: 'parking.shortage',
        dispatched_unit: '六里桥街道办事处',
        dispatched_unit_type: 'street_office',
        reporter_name: '张三丰',
        version: 6,
      });

      // ---- An overdue appeal: dispatched four hours ago, nobody has responded within two.
      const now = Date.now();
      const late = await appeals.createAppeal(
        world.db.kysely,
        {
          channel: 'phone',
          kind: 'help',
          categoryCode: 'sanitation.clutter',
          description: '楼道内堆放杂物，占用消防通道',
          communityCode: JTJY,
          reporterName: '刘芳',
          reporterPhone: '13900001111',
          receivedAt: new Date(now - 5 * HOUR).toISOString(),
        },
        systemViewer,
      );
      await appeals.appendEvent(
        world.db.kysely,
        late.id,
        {
          type: 'dispatch',
          expectedVersion: 1,
          unit: { name: '六里桥街道办事处', type: 'street_office' },
          at: new Date(now - 4 * HOUR).toISOString(),
        },
        systemViewer,
      );

      await desk.getByTestId('appeal-back').click();
      const lateRow = desk.locator(`[data-testid="appeal-row"][data-ticket="${late.ticketNo}"]`);
      await lateRow.waitFor();
      expect(await lateRow.getAttribute('data-overdue')).toBe('true');
      expect(await lateRow.getAttribute('class')).toContain('appeal-row-overdue');
      expect(await lateRow.getByTestId('appeal-overdue').textContent()).toBe('超期');
      const lateDue = lateRow.getByTestId('appeal-response-due');
      expect(await lateDue.getAttribute('data-late')).toBe('true');
      expect(await lateDue.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 77, 79)');
      const doneRow = desk.locator(`[data-testid="appeal-row"][data-ticket="${ticket}"]`);
      expect(await doneRow.getAttribute('data-overdue')).toBe('false');
      expect(await doneRow.getByTestId('appeal-overdue').count()).toBe(0);
      expect(await doneRow.getByTestId('appeal-status').textContent()).toBe('已办结');
      await withoutToasts(desk);
      await screenshot(desk, 'appeals-queue');

      // ---- Search by a word inside 小区停车难; the filters live in the URL, so the link reproduces the list.
      await desk.getByTestId('appeal-filter-q').fill('停车');
      await desk.getByTestId('appeal-filter-q').press('Enter');
      await lateRow.waitFor({ state: 'detached' });
      expect(await desk.getByTestId('appeal-row').count()).toBe(1);
      expect(await doneRow.count()).toBe(1);
      expect(new URL(desk.url()).searchParams.get('q')).toBe('停车');
      expect(await desk.getByTestId('appeals-total').textContent()).toBe('共 1 件');

      const linked = await world.loggedInPage(hotline.login, hotline.password);
      await linked.goto(`${world.baseUrl}/appeals?overdue=true&division=${LIULIQIAO}`);
      await linked.locator(`[data-testid="appeal-row"][data-ticket="${late.ticketNo}"]`).waitFor();
      expect(await linked.getByTestId('appeal-row').count()).toBe(1);
      expect(await linked.getByTestId('appeal-filter-division').textContent()).toContain('六里桥街道');
      expect(await linked.getByTestId('appeal-filter-overdue').isChecked()).toBe(true);
      await linked.context().close();

      // The same pages in English.
      await desk.getByTestId('lang-switch').getByText('English').click();
      await desk.getByTestId('appeals-total').filter({ hasText: 'Total: 1' }).waitFor();
      expect(await doneRow.getByTestId('appeal-status').textContent()).toBe('Closed');
      await doneRow.getByTestId('appeal-link').click();
      await desk.getByTestId('appeal-event').filter({ hasText: 'Callback: reached, solved, satisfied' }).waitFor();
      expect(await eventTexts(desk)).toContainEqual(expect.stringContaining('Dispatched to 六里桥街道办事处 (Street office)'));
      await desk.getByTestId('lang-switch').getByText('中文').click();
      await desk.context().close();
    },
    LONG,
  );

  it('a read-only user sees reporters masked, with no way to unmask them, and no step buttons', async () => {
    const filed = await appeals.createAppeal(
      world.db.kysely,
      {
        channel: 'web',
        kind: 'complaint',
        categoryCode: 'parking.illegal',
        description: '小区门口违章停车堵塞道路',
        communityCode: JTJY,
        reporterName: '赵敏',
        reporterPhone: '13712345678',
      },
      systemViewer,
    );
    const reader = await world.user('viewer', FENGTAI, '访客');
    const page = await world.loggedInPage(reader.login, reader.password);
    await page.goto(`${world.baseUrl}/appeals?q=${encodeURIComponent('违章停车')}`);
    const row = page.locator(`[data-testid="appeal-row"][data-ticket="${filed.ticketNo}"]`);
    await row.waitFor();
    expect(await row.getByTestId('appeal-reporter').textContent()).toBe('赵**137****5678');
    expect(await page.getByTestId('appeal-new').count()).toBe(0);
    await openAppeal(page, filed.id);
    expect(await page.getByTestId('appeal-reporter').textContent()).toBe('赵** · 137****5678');
    await page.getByTestId('appeal-masked').waitFor();
    expect(await page.getByTestId('appeal-reveal').count()).toBe(0);
    expect(await page.locator('[data-testid^="appeal-step-"]').count()).toBe(0);
    await page.context().close();
  });

  it(
    'an import with bad rows: counts, the bad rows with row, column and reason, the error report, and a manual match',
    async () => {
      const hotline = await world.user('hotline_office', FENGTAI, '王丽');
      const header =
        '工单编号,受理时间,诉求类型,问题分类,诉求内容,所属区,所属街道,所属社区,地址,来电人,联系电话,紧急程度,派单单位,是否联系,是否解决,满意度,回访时间,办结时间';
      const rows = [
        'W230001,2023-03-05 10:22,投诉,停车难,小区停车难，车位不够,丰台区,六里桥街道,京铁家园社区居委会,京铁家园3号楼,张三,13812345678,一般,六里桥街道办事处,是,是,满意,2023-03-08 09:00,2023-03-09',
        ',2023-03-05 10:00,投诉,停车难,没有编号,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
        'W230003,明天,投诉,停车难,时间不对,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
        'W230004,2023-03-06 09:00,投诉,外星人入侵,分类不认识,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
        'W230005,2023-04-02 10:00,投诉,停车难,小区门口停车收费不合理,丰台区,六里桥街道,不存在社区,某路边,,,,,是,是,满意,2023-04-05 10:00,',
      ];
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-upload-')), '丰台区12345工单2023年3月.csv');
      fs.writeFileSync(file, `\uFEFF${[header, ...rows].join('\r\n')}\r\n`);

      const page = await world.loggedInPage(hotline.login, hotline.password);
      await page.goto(`${world.baseUrl}/appeals`);
      await page.getByTestId('appeal-import').click();
      await page.getByTestId('import-form').waitFor();
      expect(new URL(page.url()).pathname).toBe('/appeals/import');
      await page.locator('[data-testid="import-form"] input[type="file"]').setInputFiles(file);
      const previewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/appeal-imports/preview'));
      await page.getByTestId('import-start').click();
      // The preview comes first; nothing lands before 确认导入.
      await page.getByTestId('import-preview').waitFor();
      // The file the preview received has expired meanwhile: the confirmation by its id answers 404,
      // the page says why and uploads the file again.
      const { uploadId } = (await (await previewed).json()) as { uploadId: string };
      for (const ext of ['upload', 'json']) fs.rmSync(path.join(heldUploadsDir(), `${uploadId}.${ext}`));
      const imports: Array<{ type: string; status: number }> = [];
      page.on('response', (r) => {
        if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/appeal-imports')
          imports.push({ type: (r.request().headers()['content-type'] ?? '').split(';')[0] ?? '', status: r.status() });
      });
      await page.getByTestId('import-confirm').click();
      await page.locator('.ant-message', { hasText: '预览时收到的文件已过期' }).waitFor();

      const result = page.getByTestId('import-result');
      await result.waitFor();
      const count = async (key: string) => (await page.getByTestId(`import-count-${key}`).textContent())?.trim();
      expect(await count('rowsTotal')).toBe('5');
      expect(await count('inserted')).toBe('3');
      expect(await count('badRows')).toBe('2');
      expect(await count('warnings')).toBe('1');
      expect(await count('unmatched')).toBe('1');
      const importId = Number(await result.getAttribute('data-id'));
      expect(imports).toEqual([
        { type: 'application/json', status: 404 },
        { type: 'multipart/form-data', status: 201 },
      ]);
      expect(new URL(page.url()).searchParams.get('import')).toBe(String(importId));

      const problems = page.getByTestId('import-problem');
      expect(await problems.count()).toBe(3);
      const problem = async (row: number) => (await page.locator(`[data-testid="import-problem"][data-row="${row}"]`).textContent()) ?? '';
      for (const part of ['3', '工单编号', '错误', '缺少工单编号']) expect(await problem(3)).toContain(part);
      for (const part of ['4', '受理时间', '明天', 'W230003', '错误', '无法识别的时间“明天”']) expect(await problem(4)).toContain(part);
      for (const part of ['5', '问题分类', '警告', '已记为“其他”']) expect(await problem(5)).toContain(part);

      // The full report is a CSV download, in Chinese and English.
      const href = await page.getByTestId('import-report').getAttribute('href');
      expect(href).toBe(`/api/v1/appeal-imports/${importId}/errors.csv`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report').click()]);
      const csv = fs.readFileSync(await download.path(), 'utf8');
      expect(csv.startsWith('\uFEFF行号 row,列 column')).toBe(true);
      expect(csv).toContain('4,受理时间,明天,W230003,错误 error,');

      // The row no community matched waits in the queue; the hotline gives it 京铁家园社区.
      const waiting = page.locator('[data-testid="unmatched-row"][data-ticket="W230005"]');
      await waiting.waitFor();
      expect(await waiting.textContent()).toContain('不存在社区');
      expect(await waiting.getByTestId('unmatched-candidate').count()).toBeGreaterThan(0);
      // Taller than the other shots: the counts, the bad rows and the queue in one picture.
      await page.setViewportSize({ width: 1400, height: 1500 });
      await withoutToasts(page);
      await screenshot(page, 'appeal-import');
      await waiting.getByTestId('unmatched-community').click();
      await page.keyboard.type('京铁家园');
      await page.locator(`[data-testid="division-option"][data-code="${JTJY}"]`).click();
      await waiting.getByTestId('unmatched-submit').click();
      await waiting.waitFor({ state: 'detached' });
      const placed = await world.db.kysely
        .selectFrom('appeal')
        .select(['community_code', 'street_code'])
        .where('ticket_no', '=', 'W230005')
        .executeTakeFirstOrThrow();
      expect(placed).toEqual({ community_code: JTJY, street_code: LIULIQIAO });
      const landed = await world.db.kysely
        .selectFrom('appeal')
        .select('ticket_no')
        .where('ticket_no', 'like', 'W23%')
        .orderBy('ticket_no')
        .execute();
      expect(landed.map((r) => r.ticket_no)).toEqual(['W230001', 'W230004', 'W230005']);

      // The history lists it; a street office has no import page.
      expect(await page.getByTestId('import-history').textContent()).toContain('丰台区12345工单2023年3月.csv');
      const street = await world.user('street_office', LIULIQIAO, '李晓梅');
      const office = await world.loggedInPage(street.login, street.password);
      expect(await office.getByTestId('nav-appeal-import').count()).toBe(0);
      await office.goto(`${world.baseUrl}/appeals/import`);
      await office.getByTestId('access-denied').waitFor();
      await office.context().close();
      await page.context().close();
    },
    LONG,
  );

  it(
    'an export without 所属区 whose 诉求类型 holds categories: the preview shows each column’s role and evidence, a role changed, confirmed, landed',
    async () => {
      const hotline = await world.user('hotline_office', '11', '市热线');
      const header = ['工单编号', '受理时间', '诉求类型', '诉求内容', '所属街道', '所属社区', '联系电话'];
      const rows = [
        ['PC230001', '2023-03-05 10:00', '噪音', '夜间施工噪音', '六里桥街道', '京铁家园社区居委会', '13812345678'],
        ['PC230002', '2023-03-05 11:00', '没水了', '小区停水一天', '广宁街道', '高井路社区', '13900000000'],
        ['PC230003', '2023-03-06 09:00', '违建', '楼顶违建', '六里桥', '京铁家园', '010-63261234转8'],
        ['PC230004', '2023-03-06 10:00', '暖气不热', '家里只有十五度', '广宁', '高井路', ''],
        ['PC230005', '2023-03-07 10:00', '燃气', '楼道有燃气味', '六里桥街道', '京铁家园社区', ''],
      ];
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-upload-')), '全市工单导出.csv');
      fs.writeFileSync(file, `${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`);

      const page = await world.loggedInPage(hotline.login, hotline.password);
      // Every request to the import routes, with what it carried: the file goes up once, with the first preview.
      const sent: Array<{ path: string; type: string; body: string }> = [];
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (r.method() === 'POST' && url.pathname.startsWith('/api/v1/appeal-imports'))
          sent.push({ path: url.pathname, type: (r.headers()['content-type'] ?? '').split(';')[0] ?? '', body: r.postData() ?? '' });
      });
      await page.goto(`${world.baseUrl}/appeals/import`);
      await page.getByTestId('import-form').waitFor();
      await page.locator('[data-testid="import-form"] input[type="file"]').setInputFiles(file);
      await page.getByTestId('import-source').fill('city-export');
      await page.getByTestId('import-start').click();
      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      const column = (name: string) => page.locator(`[data-testid="import-preview-column"][data-header="${name}"]`);
      expect(await column('诉求类型').textContent()).toContain('问题分类');
      expect(await column('诉求类型').getByTestId('import-evidence').textContent()).toContain('5/5 个值是问题分类');
      expect(await column('受理时间').textContent()).toContain('受理时间');
      const places = await page.getByTestId('import-preview-places').textContent();
      expect(places).toContain('丰台区（3）');
      expect(places).toContain('石景山区（2）');
      expect(await page.getByTestId('import-preview-meta').textContent()).toContain('CSV utf-8');
      expect(await world.db.kysely.selectFrom('appeal').select('id').where('ticket_no', 'like', 'PC23%').execute()).toEqual([]);

      // The phone column is not to be read: its select says so, and the preview is read again.
      await column('联系电话').locator('.ant-select').click();
      await page.keyboard.type('不导入');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '不导入' }).click();
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="import-preview-column"][data-header="联系电话"]')?.textContent?.includes('已确认'),
      );
      await page.setViewportSize({ width: 1400, height: 1600 });
      await preview.evaluate((el) => el.scrollIntoView());
      await screenshot(page, 'appeal-import-preview');

      await page.getByTestId('import-confirm').click();
      await page.getByTestId('import-result').waitFor();
      expect((await page.getByTestId('import-count-inserted').textContent())?.trim()).toBe('5');
      // The role change and the confirmation named the held upload; neither sent the file.
      expect(sent.map((r) => [r.path, r.type])).toEqual([
        ['/api/v1/appeal-imports/preview', 'multipart/form-data'],
        ['/api/v1/appeal-imports/preview', 'application/json'],
        ['/api/v1/appeal-imports', 'application/json'],
      ]);
      const uploadId = (JSON.parse(sent[1]?.body ?? '{}') as { uploadId?: string }).uploadId;
      expect(uploadId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const confirmed = JSON.parse(sent[2]?.body ?? '{}') as Record<string, unknown>;
      expect(confirmed).toMatchObject({
        uploadId,
        source: 'city-export',
        mapping: { columns: { 联系电话: 'ignore', 诉求类型: 'category' } },
      });
      expect(sent[2]?.body).not.toContain('PC230001');
      expect(fs.existsSync(path.join(heldUploadsDir(), `${uploadId}.upload`))).toBe(false);
      expect((await page.getByTestId('import-count-unmatched').textContent())?.trim()).toBe('0');
      expect((await page.getByTestId('import-count-badRows').textContent())?.trim()).toBe('0');
      const landed = await world.db.kysely
        .selectFrom('appeal')
        .select(['ticket_no', 'category_code', 'district_code', 'reporter_phone'])
        .where('ticket_no', 'like', 'PC23%')
        .orderBy('ticket_no')
        .execute();
      expect(landed).toEqual([
        { ticket_no: 'PC230001', category_code: 'noise', district_code: '110106', reporter_phone: null },
        { ticket_no: 'PC230002', category_code: 'water.outage', district_code: '110107', reporter_phone: null },
        { ticket_no: 'PC230003', category_code: 'city_management.illegal_construction', district_code: '110106', reporter_phone: null },
        { ticket_no: 'PC230004', category_code: 'heating.insufficient', district_code: '110107', reporter_phone: null },
        { ticket_no: 'PC230005', category_code: 'gas', district_code: '110106', reporter_phone: null },
      ]);
      // The confirmed roles are saved for the source and used next time.
      const saved = await world.db.kysely
        .selectFrom('import_source')
        .select('mapping')
        .where('name', '=', 'city-export')
        .executeTakeFirstOrThrow();
      expect((saved.mapping as { columns: Record<string, string> }).columns).toMatchObject({ 诉求类型: 'category', 联系电话: 'ignore' });
      await page.context().close();
    },
    LONG,
  );
});
