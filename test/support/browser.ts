import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, defaultWebDist } from '../../src/app.ts';
import type { Database } from '../../src/db/connection.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer, type Role } from '../../src/domains/accounts/viewer.ts';
import { openTestDatabase } from './databases.ts';

/**
 * The tracked pictures in docs/screenshots are rewritten only when asked
 * (MUSTANSWER_SCREENSHOTS=1): an ordinary test run leaves the tree clean and shoots into a
 * cache directory instead, so a test that looks at its picture still has one.
 */
export const screenshotDir =
  process.env.MUSTANSWER_SCREENSHOTS === '1'
    ? path.resolve('docs', 'screenshots')
    : path.resolve('node_modules', '.cache', 'mustanswer-screenshots');

/**
 * <screenshotDir>/<name>.png. Animations are run to their end first, so a dialog that is
 * opening or closing is never caught half-transparent, and the text cursor is hidden.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  // antd's dialogs and menus move through rc-motion classes (ant-zoom-enter-prepare, …-start,
  // …-active); one still in "prepare" has no running animation to fast-forward yet, so wait for
  // them all to settle. Never fail a test over a picture: shoot anyway after a while.
  await page
    .waitForFunction(() => !document.querySelector('[class*="-enter"], [class*="-appear"], [class*="-leave"]'), undefined, {
      timeout: 5000,
    })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

export interface BrowserWorld {
  readonly db: Database;
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A user of this role and scope, with a password the test knows. */
  user(role: Role, scope: string, displayName?: string): Promise<{ login: string; password: string }>;
  /** A fresh page (Chinese locale, Asia/Shanghai) logged in through the login page. */
  loggedInPage(login: string, password: string): Promise<Page>;
}

/**
 * A real server (built web app, PGlite from the migrated template) on a free port, and Debian's
 * Chromium driven by playwright-core.
 */
export function useBrowserWorld(): BrowserWorld {
  let db: Database | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let counter = 0;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(defaultWebDist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
    db = await openTestDatabase('pglite');
    app = await buildApp({ db, loginAttemptsPerMinute: 1000 });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    fs.mkdirSync(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  const world: BrowserWorld = {
    get db() {
      return db!;
    },
    get baseUrl() {
      return baseUrl;
    },
    get browser() {
      return browser!;
    },
    async user(role, scope, displayName) {
      const login = `${role.replace(/_/g, '-')}-${++counter}`;
      const password = 'browser-test-password';
      await createUser(db!.kysely, { login, role, scope, password, displayName }, systemViewer);
      return { login, password };
    },
    async loggedInPage(login, password) {
      const context = await browser!.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/login`);
      await page.getByTestId('login-name').fill(login);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('current-user').waitFor();
      return page;
    },
  };
  return world;
}
