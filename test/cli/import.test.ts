import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-cli-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(dir, 'data') };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, ['bin/mustanswer.js', ...args], { encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('mustanswer demo appeals and import appeals', () => {
  // Loading Beijing's divisions into a fresh data directory takes most of the time.
  it('writes a messy synthetic export and imports it with a summary and an error report', { timeout: 240_000 }, () => {
    const file = path.join(dir, 'liuliqiao.csv');
    const written = run('demo', 'appeals', '--scale', '300', '--out', file, '--within', '110106008', '--messy', '--seed', '5', '--from', '2021-01', '--to', '2021-06');
    expect(written.code, written.err).toBe(0);
    expect(written.out).toContain('300');
    expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toContain('工单编号');

    const first = run('import', 'appeals', file, '--source', 'liuliqiao');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/新增 inserted\s+\d+/);
    const inserted = Number(/新增 inserted\s+(\d+)/.exec(first.out)![1]);
    expect(inserted).toBeGreaterThan(280);
    if (/错误行 bad rows\s+[1-9]/.test(first.out)) {
      expect(first.out).toContain('liuliqiao.errors.csv');
      expect(fs.existsSync(path.join(dir, 'liuliqiao.errors.csv'))).toBe(true);
    }

    const second = run('import', 'appeals', file, '--source', 'liuliqiao');
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/新增 inserted\s+0\n/);
    expect(second.out).toMatch(/更新 updated\s+0\n/);
  });

  it('explains a missing file', () => {
    const missing = run('import', 'appeals', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.csv');
  });
});
