import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './load-client.ts';

/**
 * Runs the load generator (load-client.ts) in a process of its own, so that it does not share the
 * measured server's event loop, and returns what it measured. The plan goes on its standard
 * input: the appeals of a 50-connection run are too long for an argument.
 */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./load-client.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(JSON.stringify(plan));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as LoadResult) : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}
