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
    const written = run(
      'demo',
      'appeals',
      '--scale',
      '300',
      '--out',
      file,
      '--within',
      '110106008',
      '--messy',
      '--seed',
      '5',
      '--from',
      '2021-01',
      '--to',
      '2021-06',
    );
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
    expect(
      run(
        'demo',
        'appeals',
        '--scale',
        '40',
        '--out',
        january,
        '--within',
        '110106008',
        '--seed',
        'b1',
        '--from',
        '2022-01',
        '--to',
        '2022-01',
      ).code,
    ).toBe(0);
    expect(
      run(
        'demo',
        'appeals',
        '--scale',
        '40',
        '--out',
        february,
        '--within',
        '110106008',
        '--seed',
        'b2',
        '--from',
        '2022-02',
        '--to',
        '2022-02',
      ).code,
    ).toBe(0);
    const refused = run('import', 'appeals', january, february, '--errors', path.join(dir, 'x.csv'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--errors');

    const batch = run('import', 'appeals', january, february);
    expect(batch.code, batch.err).toBe(0);
    expect(batch.out).toContain('batch-01.csv');
    expect(batch.out).toContain('batch-02.csv');
    expect([...batch.out.matchAll(/新增 inserted\s+(\d+)/g)].map((m) => Number(m[1]))).toEqual([40, 40]);
  });

  it('prints what it makes of a file first, and with --dry-run stops there', { timeout: 240_000 }, () => {
    const file = path.join(dir, 'no-district.csv');
    fs.writeFileSync(
      file,
      '工单编号,受理时间,诉求类型,诉求内容,所属街道,所属社区\nDR1,2021-03-05 10:00,噪音,夜里施工,六里桥街道,京铁家园社区\nDR2,2021-03-06 10:00,没水了,停水,广宁街道,高井路社区\n',
    );
    const dry = run('import', 'appeals', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/诉求类型 → 问题分类 category\s+\[表头“诉求类型”通常是诉求类型/);
    expect(dry.out).toContain('未写所属区的行 rows naming no district: 2');
    expect(dry.out).toContain('丰台区 110106: 1');
    expect(dry.out).toContain('石景山区 110107: 1');
    expect(dry.out).toContain('nothing was written');
    expect(dry.out).not.toContain('新增 inserted');

    const real = run('import', 'appeals', file);
    expect(real.code, real.err).toBe(0);
    expect(real.out).toContain('诉求类型 → 问题分类 category');
    expect(real.out).toMatch(/新增 inserted\s+2\n/);
    expect(real.out).toMatch(/未匹配社区 unmatched 0/);

    // A file it cannot understand: one error naming the column and the fix, nothing imported.
    const bad = path.join(dir, 'no-time.csv');
    fs.writeFileSync(bad, '工单编号,日子,诉求内容,所属区\nDX1,三月五日,停水,丰台区\n');
    const refused = run('import', 'appeals', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('找不到受理时间列');
    expect(refused.err).toContain('--mapping');
  });

  it('explains a missing file', () => {
    const missing = run('import', 'appeals', path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.csv');
  });
});
