import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process: two processes opening the same data directory corrupt it. The first
 * one writes its pid here; a second one is refused with the reason, and a lock left by a process
 * that has died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'mustanswer.pid');
  try {
    const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `数据目录 ${dataDir} 正被进程 ${holder} 使用（多半是正在运行的 mustanswer serve）。请先停止它，或通过它的 API 操作。\n` +
          `The data directory ${dataDir} is in use by process ${holder} (most likely a running "mustanswer serve"). Stop it first, or go through its API.`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
