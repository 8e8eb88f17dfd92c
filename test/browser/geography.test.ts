import { describe, expect, it } from 'vitest';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

const JTJY = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区

describe('geography in the browser', () => {
  it('a 六里桥街道 street-office user finds 京铁家园社区 by name and pinyin and saves its profile', async () => {
    const { login, password } = await world.user('street_office', '110106008', '李晓梅');
    const page = await world.loggedInPage(login, password);
    await page.goto(`${world.baseUrl}/geo`);

    const search = page.getByTestId('geo-search');
    const jtjy = page.locator(`[data-testid="geo-search-result"][data-code="${JTJY}"]`);
    const anyResult = page.getByTestId('geo-search-result');

    // Pinyin initials first; then clear, so the name search below is answered on its own.
    await search.fill('jtjy');
    await jtjy.waitFor();
    expect(await jtjy.textContent()).toContain('京铁家园社区');
    await search.fill('');
    await anyResult.first().waitFor({ state: 'detached' });

    await search.fill('京铁家园');
    await jtjy.waitFor();
    expect(await jtjy.textContent()).toContain('六里桥街道');
    await jtjy.click();

    await page.locator(`[data-testid="division-detail"][data-code="${JTJY}"]`).waitFor();
    expect(page.url()).toBe(`${world.baseUrl}/geo/${JTJY}`);
    await page.getByTestId('profile-form').waitFor();
    await page.getByTestId('profile-residents').fill('3700');
    await page.getByTestId('profile-households').fill('1200');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').filter({ hasText: '已保存' }).waitFor();
    await page.getByTestId('profile-updated').filter({ hasText: login }).waitFor();
    await screenshot(page, 'geography');

    const stored = await world.db.kysely
      .selectFrom('community_profile')
      .selectAll()
      .where('community_code', '=', JTJY)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ residents: 3700, households: 1200, buildings: null, notes: null, updated_by: login });

    const audit = await world.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'community_profile')
      .where('entity_id', '=', JTJY)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: login, action: 'community_profile.create' });
    const changes = typeof audit[0]!.changes === 'string' ? JSON.parse(audit[0]!.changes) : audit[0]!.changes;
    expect(changes).toEqual({ residents: { from: null, to: 3700 }, households: { from: null, to: 1200 } });

    // A fresh load reads the stored values back from the server.
    await page.reload();
    await page.getByTestId('profile-form').waitFor();
    expect(await page.getByTestId('profile-residents').inputValue()).toBe('3700');
    expect(await page.getByTestId('profile-households').inputValue()).toBe('1200');
    await page.context().close();
  });
});
