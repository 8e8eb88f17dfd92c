import { generateAppeals, loadCommunities } from '../demo/generator.ts';
import { writeHotlineFile, type FileEncoding } from '../demo/hotline-file.ts';
import { progressBar } from './progress.ts';

export interface DemoAppealsOptions {
  scale: number;
  out: string;
  from: string;
  to: string;
  seed: string;
  messy?: boolean;
  encoding: FileEncoding;
  within?: string;
}

/** `mustanswer demo appeals`: synthetic appeals written as a hotline export, for tests and benchmarks. */
export async function demoAppealsCommand(options: DemoAppealsOptions): Promise<void> {
  const communities = await loadCommunities('11', options.within ?? '');
  if (communities.length === 0) throw new Error(`--within ${options.within}: 没有社区 / no communities there`);
  const bar = progressBar('诉求 appeals', options.scale);
  try {
    const stats = await writeHotlineFile(
      generateAppeals({ count: options.scale, from: options.from, to: options.to, seed: options.seed, communities }),
      options.out,
      { encoding: options.encoding, messy: options.messy ?? false, seed: options.seed },
      bar.update,
    );
    bar.stop();
    console.log(`已写入 / written ${stats.rows} 条 rows → ${options.out}`);
    if (options.messy) console.log(`其中故意写坏 / broken on purpose: ${stats.broken}, 重复 / repeated: ${stats.repeated}`);
  } finally {
    bar.stop();
  }
}
