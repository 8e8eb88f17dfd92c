import { describe, expect, it } from 'vitest';
import { recordFengtai } from '../programs/world.ts';
import { recordJingtieUnits, recordParkingLot } from '../projects/world.ts';
import { screenshot, useBrowserWorld } from '../support/browser.ts';

const world = useBrowserWorld();

describe('hard-nut projects in the browser', () => {
  it('shows the board, the parking lot project and the Fengtai achievement report', async () => {
    const db = world.db.kysely;
    const fengtai = await recordFengtai(db);
    const units = await recordJingtieUnits(db, fengtai);
    const parking = await recordParkingLot(db, fengtai, units);

    const { login, password } = await world.user('org_department', '110106');
    const page = await world.loggedInPage(login, password);

    // The board: the parking lot is done.
    await page.goto(`${world.baseUrl}/projects`);
    const completed = page.getByTestId('board-column-completed');
    await expect.poll(() => completed.textContent()).toContain('北侧拆违建设停车场');
    expect(await completed.textContent()).toContain('已完成');
    expect(await completed.textContent()).toContain('贾岚');
    await screenshot(page, 'projects-board');

    // The project page.
    await completed.getByTestId('project-card').first().click();
    await page.waitForURL(`**/projects/${parking.id}`);
    await page.getByTestId('project-header').waitFor();
    const outputs = page.getByTestId('outputs');
    await expect.poll(() => outputs.textContent()).toContain('791 / 791');
    expect(await page.getByTestId('stakeholders').locator('tbody tr.ant-table-row').count()).toBe(5);
    for (const name of [
      '京铁家园社区居委会',
      '丰台区住房和城乡建设委员会',
      '丰台区园林绿化局',
      '京铁家园产权单位',
      '京铁家园物业服务中心',
    ]) {
      expect(await page.getByTestId('stakeholders').textContent()).toContain(name);
    }
    expect(await page.getByTestId('funds-total').textContent()).toBe('1,550,000.50');
    expect(await page.getByTestId('historical-tag').count()).toBe(1);
    await screenshot(page, 'project');

    // The achievement report of the Fengtai program.
    await page.goto(`${world.baseUrl}/projects/report?program=${fengtai.program.id}`);
    const funds = page.getByTestId('total-funds');
    await expect.poll(() => funds.textContent()).toContain('1,550,000.50');
    const xlsx = await page.getByTestId('report-xlsx').getAttribute('href');
    expect(xlsx).toBe(`/api/v1/programs/${fengtai.program.id}/report.xlsx`);
    await page.getByTestId('report-projects').waitFor();
    await screenshot(page, 'achievement-report');
    await page.context().close();
  });
});
