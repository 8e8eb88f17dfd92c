import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

const JTJY = '110106008028'; // 京铁家园社区, 六里桥街道 (110106008), 丰台区

async function headerText(page: Page): Promise<string> {
  return (await page.getByTestId('current-user').textContent()) ?? '';
}

async function openCommunity(page: Page, code: string): Promise<void> {
  await page.goto(`${world.baseUrl}/geo/${code}`);
  await page.locator(`[data-testid="division-detail"][data-code="${code}"]`).waitFor();
}

describe('accounts in the browser', () => {
  it('the login page refuses a wrong password and says why on 429 and with no network', async () => {
    const { login } = await world.user('viewer', '110106', '访客甲');
    const context = await world.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();

    // The header's 登录 button leads to /login and back to where the visitor was.
    await page.goto(`${world.baseUrl}/geo/${JTJY}`);
    await page.getByTestId('login-open').click();
    await page.getByTestId('login-name').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/geo/${JTJY}`);

    await page.getByTestId('login-name').fill(login);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('登录名或密码错误');
    expect(await page.getByTestId('login-password').inputValue()).toBe('');
    await screenshot(page, 'login');

    // Too many attempts: the server's Retry-After is turned into words.
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '42' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Too many requests',
          status: 429,
          detail: 'Rate limit exceeded, retry in 1 minute',
        }),
      }),
    );
    await page.getByTestId('login-password').fill('another-try');
    await page.getByTestId('login-submit').click();
    await error.filter({ hasText: '登录尝试过于频繁，请 42 秒后再试' }).waitFor();

    // No answer at all.
    await page.unroute('**/api/v1/auth/login');
    await page.route('**/api/v1/auth/login', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('login-password').fill('third-try');
    await page.getByTestId('login-submit').click();
    await error.filter({ hasText: '无法连接服务器' }).waitFor();

    // The same page in English.
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByTestId('login-password').fill('fourth-try');
    await page.getByTestId('login-submit').click();
    await error.filter({ hasText: 'Cannot reach the server' }).waitFor();
    await context.close();
  });

  it('a street user inside the scope may edit 京铁家园社区; a district user of Shijingshan is told it is outside theirs', async () => {
    const fengtai = await world.user('street_office', '110106008', '李晓梅');
    const shijingshan = await world.user('org_department', '110107', '周建国');

    const inside = await world.loggedInPage(fengtai.login, fengtai.password);
    const insideHeader = await headerText(inside);
    for (const part of ['李晓梅', '街道办事处', '六里桥街道']) expect(insideHeader).toContain(part);
    await openCommunity(inside, JTJY);
    await inside.getByTestId('profile-form').waitFor();
    await inside.getByTestId('profile-save').waitFor();
    expect(await inside.getByTestId('profile-residents').isEditable()).toBe(true);
    expect(await inside.getByTestId('profile-out-of-scope').count()).toBe(0);
    expect(await inside.getByTestId('nav-admin-users').count()).toBe(0);
    expect(await inside.getByTestId('nav-admin-audit').count()).toBe(0);

    // The district user's role may edit profiles: only the scope keeps them out here.
    const outside = await world.loggedInPage(shijingshan.login, shijingshan.password);
    const outsideHeader = await headerText(outside);
    for (const part of ['周建国', '区委组织部', '石景山区']) expect(outsideHeader).toContain(part);
    await openCommunity(outside, JTJY);
    const refusal = outside.getByTestId('profile-out-of-scope');
    await refusal.waitFor();
    const refusalText = (await refusal.textContent()) ?? '';
    expect(refusalText).toContain('京铁家园社区不在您的管辖范围内');
    expect(refusalText).toContain('石景山区');
    expect(await outside.getByTestId('profile-save').count()).toBe(0);
    expect(await outside.getByTestId('profile-form').count()).toBe(0);
    expect(await outside.getByTestId('nav-admin-users').count()).toBe(0);

    // Typing the admin address is answered too, not only hidden from the menu.
    await outside.goto(`${world.baseUrl}/admin/users`);
    await outside.getByTestId('access-denied').waitFor();
    expect(await outside.getByTestId('users-table').count()).toBe(0);

    // Logging out from the header's menu.
    await outside.getByTestId('current-user').click();
    await outside.getByTestId('logout').click();
    await outside.getByTestId('login-open').waitFor();

    await inside.context().close();
    await outside.context().close();
  });

  it('an admin creates a user with a one-time password, disables them, and reads it in the audit log', async () => {
    const admin = await world.user('admin', '11', '王海燕');
    const page = await world.loggedInPage(admin.login, admin.password);
    const header = await headerText(page);
    for (const part of ['王海燕', '系统管理员', '北京市']) expect(header).toContain(part);

    await page.getByTestId('nav-admin-users').click();
    await page.getByTestId('users-table').locator('tr', { hasText: admin.login }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');

    await page.getByTestId('user-new').click();
    await page.getByTestId('new-user-login').fill('zhao.min');
    await page.getByTestId('new-user-name').fill('赵敏');
    await page.getByTestId('new-user-role').click();
    await page.locator('.ant-select-item-option[title="社区居委会"]').click();
    await page.getByTestId('new-user-scope').click();
    await page.keyboard.type('京铁家园');
    await page.locator(`[data-testid="division-option"][data-code="${JTJY}"]`).click();
    await page.getByTestId('new-user-unit').fill('京铁家园社区居委会');
    await page.getByTestId('new-user-submit').click();

    const secret = page.getByTestId('one-time-secret');
    await secret.waitFor();
    await page.getByTestId('new-user-form').waitFor({ state: 'detached' });
    expect(await secret.textContent()).toContain('只显示这一次');
    const password = ((await page.getByTestId('one-time-secret-value').textContent()) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'admin-users');
    await page.getByTestId('one-time-secret-done').click();
    await secret.waitFor({ state: 'detached' });

    const stored = await world.db.kysely.selectFrom('app_user').selectAll().where('login', '=', 'zhao.min').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      display_name: '赵敏',
      role: 'community_committee',
      scope_code: JTJY,
      unit_name: '京铁家园社区居委会',
      disabled_at: null,
    });

    // The password shown once works, and the new user's header names their community.
    const newcomer = await world.loggedInPage('zhao.min', password);
    const newcomerHeader = await headerText(newcomer);
    for (const part of ['赵敏', '社区居委会', '京铁家园社区']) expect(newcomerHeader).toContain(part);
    await newcomer.context().close();

    // Disabling asks first, then the switch says so.
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'zhao.min' });
    await row.getByTestId('user-status').click();
    // antd writes a two-character label as "停 用", so the confirm's danger button is found by its kind.
    const confirm = page.locator('.ant-modal-confirm');
    expect(await confirm.textContent()).toContain('停用用户「赵敏」？');
    await confirm.locator('.ant-btn-dangerous').click();
    await row.getByTestId('user-status').filter({ hasText: '已停用' }).waitFor();
    expect(
      (await world.db.kysely.selectFrom('app_user').select('disabled_at').where('login', '=', 'zhao.min').executeTakeFirstOrThrow())
        .disabled_at,
    ).not.toBeNull();

    // The audit log shows both changes, newest first, in Beijing time; the filter narrows it.
    await page.getByTestId('nav-admin-audit').click();
    const table = page.getByTestId('audit-table');
    // Other tests of this file create users too: pick the rows about zhao.min.
    await table.locator('tr', { hasText: 'user.disable' }).waitFor();
    await table.locator('tr', { hasText: 'user.create' }).filter({ hasText: 'login: zhao.min' }).waitFor();
    await screenshot(page, 'audit');
    await page.getByTestId('audit-actor').fill(admin.login);
    await page.getByTestId('audit-action').fill('user.create');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-search').click();
    await table.locator('tr', { hasText: 'user.disable' }).waitFor({ state: 'detached' });
    const rows = table.locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(1);
    const rowText = (await rows.first().textContent()) ?? '';
    expect(rowText).toContain('新建用户');
    expect(rowText).toContain('login: zhao.min');
    expect(rowText).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);

    // The CSV export takes the same filters.
    const href = (await page.getByTestId('audit-export').getAttribute('href')) ?? '';
    const exportUrl = new URL(href, world.baseUrl);
    expect(exportUrl.pathname).toBe('/api/v1/audit/export');
    expect(exportUrl.searchParams.get('action')).toBe('user.create');
    expect(exportUrl.searchParams.get('actor')).toBe(admin.login);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('user.create');
    expect(lines[1]).toContain('zhao.min');
    await page.context().close();
  });
});
