import { describe, expect, it } from 'vitest';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();
const FENGTAI = '110106';

describe('Open311 client applications in the browser', () => {
  it('an admin issues a key shown once, the key files a request, and the admin revokes it', async () => {
    const admin = await world.user('admin', '11', '王海燕');
    const page = await world.loggedInPage(admin.login, admin.password);
    await page.getByTestId('nav-admin-open311').click();
    await page.getByTestId('open311-clients').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/open311');
    expect(await page.locator('h3').first().textContent()).toContain('Open311 客户端应用');

    await page.getByTestId('open311-issue').click();
    await page.getByTestId('open311-name').fill('丰台市民 App');
    await page.getByTestId('open311-scope').click();
    await page.keyboard.type('丰台');
    await page.locator(`[data-testid="division-option"][data-code="${FENGTAI}"]`).click();
    await screenshot(page, 'open311-issue');
    await page.getByTestId('open311-submit').click();

    const secret = page.getByTestId('one-time-secret');
    await secret.waitFor();
    expect(await secret.textContent()).toContain('只显示这一次');
    const apiKey = (await page.getByTestId('one-time-secret-value').textContent())!.trim();
    expect(apiKey).toMatch(/^o311_/);
    await screenshot(page, 'open311-key');
    await page.getByTestId('one-time-secret-done').click();

    // The key works: a request filed through Open311 in Fengtai.
    const filed = await fetch(`${world.baseUrl}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: apiKey,
        jurisdiction_id: FENGTAI,
        service_code: 'parking.illegal',
        address_string: '六里桥街道京铁家园社区',
        description: '违章停车',
      }),
    });
    expect(filed.status).toBe(200);
    expect((await filed.json())[0].service_request_id).toMatch(/^MA-/);

    const row = page.getByTestId('open311-clients').locator('tr', { hasText: '丰台市民 App' });
    expect(await row.textContent()).toContain('有效');
    await row.locator('[data-testid^="open311-revoke-"]').click();
    await page.locator('.ant-modal-confirm .ant-btn-dangerous').click();
    await row.locator('.ant-tag', { hasText: '已吊销' }).waitFor();
    await screenshot(page, 'open311-clients');

    const refused = await fetch(`${world.baseUrl}/open311/v2/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: apiKey, jurisdiction_id: FENGTAI, service_code: 'parking.illegal', address_id: '110106008028' }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<errors><error><code>403</code>');
  });
});
