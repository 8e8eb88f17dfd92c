import { describe, expect, it } from 'vitest';
import { progressBar, remaining } from '../../src/cli/progress.ts';

describe('progress with an estimate', () => {
  it('estimates the time left at the rate so far', () => {
    expect(remaining(0, 100, 5000)).toBeNull();
    expect(remaining(25, 100, 10_000)).toBe('约 30 秒 / ~30 s');
    expect(remaining(10, 100, 20_000)).toBe('约 3 分 0 秒 / ~3 min 0 s');
  });

  it('prints a line at every tenth where stderr is no terminal, never staying silent', () => {
    if (process.stderr.isTTY) return;
    let clock = 0;
    const lines: string[] = [];
    const bar = progressBar(
      '诉求 appeals',
      1000,
      () => clock,
      (line) => lines.push(line),
    );
    for (let done = 50; done <= 1000; done += 50) {
      clock += 1000;
      bar.update(done);
    }
    bar.stop();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('诉求 appeals 10% | 100/1000 | 剩余 约 18 秒 / ~18 s');
    expect(lines[9]).toBe('诉求 appeals 100% | 1000/1000');
  });
});
