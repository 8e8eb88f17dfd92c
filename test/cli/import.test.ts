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

  it('imports two months as one batch, a summary each, and refuses --errors for more than one file', { timeout: 240_000 }, () => {
    const january = path.join(dir, 'batch-01.csv');
    const february = path.join(dir, 'batch-02.csv');
    expect(run('demo', 'appeals', '--scale', '40', '--out', january, '--within', '110106008', '--seed', 'b1', '--from', '2022-01', '--to', '2022-01').code).toBe(0);
    expect(run('demo', 'appeals', '--scale', '40', '--out', february, '--within', '110106008', '--seed', 'b2', '--from', '2022-02', '--to', '2022-02').code).toBe(0);
    const refused = run('import', 'appeals', january, february, '--errors', path.join(dir, 'x.csv'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--errors');

    const batch = run('import', 'appeals', january, february);
    expect(batch.code, batch.err).toBe(0);
    expect(batch.out).toContain('batch-01.csv');
    expect(batch.out).toContain('batch-02.csv');
    expect([...batch.out.matchAll(/新增 inserted\s+(\d+)/g)].map((m) => Number(m[1]))).toEqual([40, 40]);
  });

  it('explains a missing file', () => {
    const missing = run('import', 'appeals', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.csv');
  });
});
