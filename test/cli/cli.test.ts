import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/db/lock.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, ['bin/mustanswer.js', ...args], { encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the mustanswer command', () => {
  it('explains each command in Chinese and English', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'geo', 'user']) expect(help.out).toContain(command);
    const load = run('geo', 'load', '--help');
    expect(load.out).toContain('--province');
    expect(load.out).toContain('省级代码');
  });

  it('migrates an empty data directory, and then has nothing to do', () => {
    const first = run('migrate');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('0001_divisions.sql');
    const second = run('migrate');
    expect(second.out).toContain('up to date');
  });

  it('checks the rollups against the appeals', () => {
    const check = run('evaluation', 'check');
    expect(check.code, check.err).toBe(0);
    expect(check.out).toContain('the rollups match the appeals');
    const unknown = run('evaluation', 'fix');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('fix');
  });

  it('answers bad input with the reason and a non-zero exit', () => {
    const role = run('user', 'add', '--login', 'x', '--role', 'mayor', '--scope', '11');
    expect(role.code).toBe(1);
    expect(role.err).toContain('mayor');
    expect(role.err).toContain('street_office');
    const scope = run('user', 'add', '--login', 'x', '--role', 'viewer', '--scope', '119999');
    expect(scope.code).toBe(1);
    expect(scope.err).toContain('119999');
    const province = run('geo', 'load', '--province', 'beijing');
    expect(province.code).toBe(1);
    expect(province.err).toContain('--province');
    const missing = run('user', 'add', '--login', 'x');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('--role');
  });

  it('refuses to open a data directory another live process holds', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-lock-'));
    // The parent process (vitest) is alive and is not us: it plays the running server.
    fs.writeFileSync(path.join(other, 'mustanswer.pid'), String(process.ppid));
    expect(() => lockDataDir(other)).toThrow(/in use by process/);
    // A lock left by a process that no longer exists is taken over.
    fs.writeFileSync(path.join(other, 'mustanswer.pid'), '999999');
    const release = lockDataDir(other);
    expect(fs.readFileSync(path.join(other, 'mustanswer.pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(other, 'mustanswer.pid'))).toBe(false);
    fs.rmSync(other, { recursive: true, force: true });
  });
});
