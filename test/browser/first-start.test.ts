import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDist } from '../../src/app.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { demoVolume } from '../../src/demo/facts.ts';
import type { FirstStartMarker } from '../../src/startup/first-start.ts';
import type { StartupStatusView } from '../../src/startup/schemas.ts';

/**
 * A first start as `npm start` runs it, in a process of its own on a small demo: the port answers
 * while the demo loads (status, health, the web app with its banner; data requests are told to
 * wait), a kill in the middle of the load is rebuilt on the next start rather than served as the
 * demo, and the banner goes once the demo is ready.
 */
const SCALE = 0.0005;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-first-start-'));
let browser: Browser | undefined;
let server: { child: ChildProcess; output: () => string; exited: Promise<number | null> } | undefined;
let base = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function start(port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--demo-scale', String(SCALE)],
    {
      env: { ...env, HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function status(): Promise<StartupStatusView | undefined> {
  try {
    const response = await fetch(`${base}/api/v1/status`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? ((await response.json()) as StartupStatusView) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls the status until `until` holds of it; fails with the server's output after `seconds`. */
async function waitForStatus(until: (s: StartupStatusView) => boolean, seconds: number): Promise<StartupStatusView> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const s = await status();
    if (s && until(s)) return s;
    if (Date.now() > deadline) throw new Error(`status never matched; last ${JSON.stringify(s)}\n${server?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const marker = () => JSON.parse(fs.readFileSync(path.join(dataDir, 'first-start.json'), 'utf8')) as FirstStartMarker;

beforeAll(async () => {
  if (!fs.existsSync(path.join(defaultWebDist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  base = `http://127.0.0.1:${await freePort()}`;
  server = start(Number(new URL(base).port));
});

afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a first start on the embedded database', () => {
  it('answers status, health and the web app while the demo loads, and tells data requests to wait', async () => {
    const first = await waitForStatus(() => true, 60);
    expect(first.phase).not.toBe('ready');
    expect(first.demo).toBe(true);
    expect(marker().state).toBe('loading');

    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toContain('text/html');
    const appeals = await fetch(`${base}/api/v1/appeals`);
    expect(appeals.status).toBe(503);
    expect(appeals.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(appeals.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await appeals.json()) as { detail: string }).detail).toContain('演示数据');
    const signIn = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login":"admin","password":"x"}',
    });
    expect(signIn.status).toBe(503);
    // All of that was answered before the demo was ready, not after.
    expect((await status())!.phase).not.toBe('ready');
  }, 120_000);

  it('shows the progress on every page while loading', async () => {
    const page = await browser!.newPage({ locale: 'zh-CN' });
    for (const route of ['/login', '/appeals']) {
      await page.goto(`${base}${route}`);
      const banner = page.getByTestId('startup-banner');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.innerText()).toContain('首次启动');
      expect(await banner.innerText()).toContain('data/demo-credentials.json');
    }
    expect((await status())!.phase).not.toBe('ready');
    await page.close();
  }, 120_000);

  it('builds the database again after a kill in the middle of the load, never serving half a demo', async () => {
    const loading = await waitForStatus((s) => (s.phase === 'appeals' && (s.done ?? 0) > 0) || s.phase === 'indexes', 300);
    expect(loading.phase).not.toBe('ready');
    server!.child.kill('SIGKILL');
    await server!.exited;
    expect(marker().state).toBe('loading');

    server = start(Number(new URL(base).port));
    await waitForStatus((s) => s.phase !== 'ready', 60);
    expect(server.output()).toContain('did not finish');
    const page = await browser!.newPage({ locale: 'zh-CN' });
    await page.goto(`${base}/login`);
    await page.getByTestId('startup-banner').waitFor({ timeout: 20_000 });

    await waitForStatus((s) => s.phase === 'ready', 600);
    expect(marker().state).toBe('ready');
    // The page asks again every few seconds: the banner goes by itself.
    await page.getByTestId('startup-banner').waitFor({ state: 'detached', timeout: 20_000 });
    const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      users: Array<{ login: string; password: string }>;
    };
    const admin = credentials.users.find((u) => u.login === 'admin')!;
    await page.getByTestId('login-name').fill(admin.login);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor({ timeout: 20_000 });
    await page.close();

    server!.child.kill('SIGTERM');
    await server!.exited;
    // Exactly one demo: every appeal once, every login once.
    const db = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const appeals = await db.kysely
        .selectFrom('appeal')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(appeals.n).toBe(demoVolume(SCALE));
      const admins = await db.kysely
        .selectFrom('app_user')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('login', '=', 'admin')
        .executeTakeFirstOrThrow();
      expect(admins.n).toBe(1);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'demo-exports'))).toBe(false);
  }, 900_000);
});
