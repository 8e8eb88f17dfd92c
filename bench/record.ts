import fs from 'node:fs';
import os from 'node:os';

const file = new URL('../BENCHMARKS.md', import.meta.url);

/**
 * Writes one benchmark's result table into BENCHMARKS.md under its own heading, replacing the
 * previous result of the same name, with the command and the machine it ran on.
 */
export function recordBenchmark(name: string, command: string, table: string[]): void {
  const existing = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEvery figure here was produced by the command above it, on the machine named.\n';
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const when = new Date().toISOString().slice(0, 10);
  const block = [
    begin,
    `### ${name}`,
    '',
    '```sh',
    command,
    '```',
    '',
    `${when}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    ...table,
    end,
  ].join('\n');
  const pattern = new RegExp(`${begin}[\\s\\S]*?${end}`);
  const next = pattern.test(existing) ? existing.replace(pattern, block) : `${existing.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}
