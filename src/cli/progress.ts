import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; quiet when stderr is not a terminal (CI, pipes). */
export function progressBar(label: string, total: number) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}`, hideCursor: true, noTTYOutput: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value: number) => bar.update(Math.min(value, total)),
    stop: () => bar.stop(),
  };
}
