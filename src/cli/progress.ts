import cliProgress from 'cli-progress';

/** "约 1 分 20 秒 / ~1 min 20 s" left at the rate so far; null before anything is done. */
export function remaining(done: number, total: number, elapsedMs: number): string | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  const seconds = Math.max(0, Math.round(((total - done) * elapsedMs) / done / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `约 ${minutes} 分 ${seconds % 60} 秒 / ~${minutes} min ${seconds % 60} s` : `约 ${seconds} 秒 / ~${seconds} s`;
}

/**
 * A progress bar on stderr for long work, with the time left at the rate so far. Where stderr is
 * not a terminal (CI, pipes, a service's log) it prints a line at every tenth instead, so a long
 * first start never stays silent for minutes.
 */
export function progressBar(
  label: string,
  total: number,
  now: () => number = Date.now,
  log: (line: string) => void = (line) => console.error(line),
) {
  const started = now();
  if (!process.stderr.isTTY) {
    let tenth = 0;
    return {
      update: (value: number) => {
        const done = Math.min(value, total);
        const reached = Math.floor((done / total) * 10);
        if (reached <= tenth) return;
        tenth = reached;
        const left = remaining(done, total, now() - started);
        log(`${label} ${reached * 10}% | ${done}/${total}${left && done < total ? ` | 剩余 ${left}` : ''}`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | 剩余 remaining {eta_formatted}`,
      hideCursor: true,
      noTTYOutput: false,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value: number) => bar.update(Math.min(value, total)),
    stop: () => bar.stop(),
  };
}
