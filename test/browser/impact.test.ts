import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordImpactWorld } from '../impact/world.ts';
import { screenshotDir, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

describe('impact in the browser', () => {
  it('shows the estimate, the event study and the comparison on the program report and the posting page', async () => {
    const { program, batch1, tianPosting } = await recordImpactWorld(world.db.kysely);
    const { login, password } = await world.user('org_department', '110106');
    const page = await world.loggedInPage(login, password);
    await page.setViewportSize({ width: 1400, height: 1000 });

    await page.goto(`${world.baseUrl}/projects/report?program=${program}&batch=${batch1}`);
    const tile = page.getByTestId('impact-resolution');
    await tile.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verdict-resolution').textContent()).toBe('有改善（区间在 0 以上）');
    expect(await page.getByTestId('naive-resolution').textContent()).toContain('朴素前后对比');
    expect(await page.getByTestId('impact-period').textContent()).toContain('2023-12');
    await page.getByTestId('impact-event-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('impact-placebo').locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await page.getByTestId('impact-placebo').textContent()).toContain('通过');
    expect(await page.getByTestId('impact-pretrend').textContent()).toContain('前趋势检验');
    expect(await page.getByTestId('impact-csv').getAttribute('href')).toBe(
      `/api/v1/impact/panel.csv?program=${program}&lang=zh&batch=${batch1}`,
    );
    await page.getByText('选派社区与其匹配的对照社区').click();
    await page.getByTestId('impact-matched').waitFor();
    expect(await page.getByTestId('impact-matched').locator('tbody tr.ant-table-row').count()).toBe(10);
    await page.getByTestId('impact').scrollIntoViewIfNeeded();
    await page.getByTestId('impact').screenshot({ path: path.join(screenshotDir, 'impact-report.png') });

    await page.goto(`${world.baseUrl}/programs/postings/${tianPosting}`);
    await page.getByTestId('impact-resolution').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('impact').textContent()).toContain('单个选派按所在社区在本项目的首次选派起算');
    await page.getByTestId('impact').scrollIntoViewIfNeeded();
    await page.getByTestId('impact').screenshot({ path: path.join(screenshotDir, 'impact-posting.png') });
    await page.context().close();
  });
});
