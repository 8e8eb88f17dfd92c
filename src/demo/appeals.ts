import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '../db/connection.ts';
import { communitySize, generateAppeals, loadCommunities, seededRandom, type GeneratedAppeal, type Hotspot } from '../domains/appeals/generator.ts';
import { writeHotlineFile } from '../domains/appeals/hotline-file.ts';
import { importAppeals } from '../domains/appeals/import/service.ts';
import type { Viewer } from '../domains/accounts/viewer.ts';
import { demoClock, demoVolume, FENGTAI, GAOJINGLU, JINGTIE, SHIJINGSHAN } from './facts.ts';

/**
 * The chronic hotspots the demo plants, so that the key-community lists computed from the appeals
 * pick Fengtai's batches: 京铁家园社区 and 25 other Fengtai communities loud from the start, 24
 * more rising in 2022 (the second batch's 50), a few dozen elsewhere in the city so the city's
 * top-100 lists are not all Fengtai, and gas at 高井路社区.
 */
export interface Planted {
  fengtaiChronic: string[];
  fengtaiRising: string[];
  hotspots: Hotspot[];
}

const parkingAndProperty = ['parking.shortage', 'parking.illegal', 'property.service', 'elevator.fault'];

export function plantHotspots(communityCodes: string[]): Planted {
  const random = seededRandom('demo-hotspots');
  const shuffle = (codes: string[]) => codes.map((c) => [random(), c] as const).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
  const fengtai = shuffle(communityCodes.filter((c) => c.startsWith(FENGTAI) && c !== JINGTIE && !/村/.test(c)));
  const fengtaiChronic = [JINGTIE, ...fengtai.slice(0, 25)];
  const fengtaiRising = fengtai.slice(25, 49);
  const elsewhere = shuffle(communityCodes.filter((c) => !c.startsWith(FENGTAI) && !c.startsWith(SHIJINGSHAN))).slice(0, 60);
  // A hotspot is as loud as the loudest communities whatever its own size: the multiplier lifts
  // it to a target weight (sizes are log-normal around 1; the top 1 % lie above about 7).
  const loud = (code: string, weight: number) => Math.max(1, weight / communitySize(code));
  const hotspots: Hotspot[] = [
    ...fengtaiChronic.map((code) => ({ communityCode: code, multiplier: loud(code, 14), categories: parkingAndProperty, to: '2021-11' })),
    // After the secretaries came, the same places stay busy but less so.
    ...fengtaiChronic.map((code) => ({ communityCode: code, multiplier: loud(code, 10), categories: parkingAndProperty, from: '2021-12' })),
    ...fengtaiRising.map((code) => ({ communityCode: code, multiplier: loud(code, 11), categories: ['heating', 'property.service', 'sanitation'], from: '2022-01' })),
    ...elsewhere.map((code) => ({ communityCode: code, multiplier: loud(code, 11) })),
    { communityCode: GAOJINGLU, multiplier: loud(GAOJINGLU, 6), categories: ['gas'] },
  ];
  return { fengtaiChronic, fengtaiRising, hotspots };
}

/**
 * What a secretary changes, as the simulation models it: chronic communities resolve less before
 * (their problems are the hard ones), and more once a secretary is posted, ramping up over four
 * months. Calibrated so the first batch's change comes out near the article's +28.76 %, which
 * mustanswer then computes from the appeals like any other figure.
 */
export function postingEffect(planted: Planted) {
  const chronic = new Set(planted.fengtaiChronic);
  const rising = new Set(planted.fengtaiRising);
  const monthsSince = (month: string, start: string) =>
    (Number(month.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(month.slice(5, 7)) - Number(start.slice(5, 7));
  const ramp = (month: string, start: string) => Math.min(1, Math.max(0, (monthsSince(month, start) + 1) / 4));
  return (code: string, month: string): number => {
    if (chronic.has(code)) return -0.16 + 0.107 * ramp(month, demoClock.fengtaiBatch1);
    if (rising.has(code)) return -0.15 + 0.15 * ramp(month, demoClock.fengtaiBatch2);
    if (code.startsWith(SHIJINGSHAN)) return 0.06 * ramp(month, demoClock.shijingshanBatch1);
    return 0;
  };
}

export interface DemoAppealsResult {
  planted: Planted;
  files: string[];
  rows: number;
  inserted: number;
}

export type DemoExportsMessage =
  | { type: 'file'; file: string; rows: number }
  | { type: 'done'; planted: Planted }
  | { type: 'error'; message: string };

/**
 * Writes the demo's appeals as hotline exports, one file a year, telling `ready` of each as it is
 * written. The generator yields in time order: one year is held at a time.
 */
export async function writeDemoExports(scale: number, dir: string, ready: (message: DemoExportsMessage) => void): Promise<void> {
  const communities = await loadCommunities('11');
  const planted = plantHotspots(communities.map((c) => c.code));
  fs.mkdirSync(dir, { recursive: true });
  const write = async (year: string, appeals: GeneratedAppeal[]) => {
    const file = path.join(dir, `12345-export-${year}.csv`);
    await writeHotlineFile(appeals, file);
    ready({ type: 'file', file, rows: appeals.length });
  };
  let year = '';
  let appeals: GeneratedAppeal[] = [];
  for (const appeal of generateAppeals({
    count: demoVolume(scale),
    from: demoClock.from,
    to: demoClock.to,
    seed: 'mustanswer-demo',
    communities,
    hotspots: planted.hotspots,
    resolution: postingEffect(planted),
  })) {
    const appealYear = String(new Date(appeal.receivedAt.getTime() + 8 * 3_600_000).getUTCFullYear());
    if (appealYear !== year && appeals.length > 0) {
      await write(year, appeals);
      appeals = [];
    }
    year = appealYear;
    appeals.push(appeal);
  }
  if (appeals.length > 0) await write(year, appeals);
  ready({ type: 'done', planted });
}

/**
 * The yearly exports as a worker thread writes them: the next year is generated and written on
 * the second core while this thread imports the one before (about 20 µs an appeal, which the
 * import would otherwise wait for).
 */
async function* demoExportsInWorker(scale: number, dir: string): AsyncGenerator<DemoExportsMessage> {
  const worker = new Worker(new URL('./exports-worker-boot.mjs', import.meta.url), {
    workerData: { scale, dir, entry: new URL('./exports-worker.ts', import.meta.url).href },
  });
  const ready: DemoExportsMessage[] = [];
  let waiting: (() => void) | undefined;
  const deliver = (message: DemoExportsMessage) => {
    ready.push(message);
    waiting?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'error', message: error.message }));
  worker.on('exit', () => deliver({ type: 'error', message: 'the demo’s export writer stopped / demo export writer exited' }));
  try {
    for (;;) {
      while (ready.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
      const message = ready.shift()!;
      if (message.type === 'error') throw new Error(message.message);
      yield message;
      if (message.type === 'done') return;
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Writes the demo's appeals as hotline exports, one file a year, and loads them through the same
 * import users run.
 */
export async function loadDemoAppeals(
  db: Database,
  viewer: Viewer,
  options: { scale: number; dir: string; onProgress?: (rows: number, total: number) => void },
): Promise<DemoAppealsResult> {
  const total = demoVolume(options.scale);
  const result: Omit<DemoAppealsResult, 'planted'> = { files: [], rows: 0, inserted: 0 };
  for await (const message of demoExportsInWorker(options.scale, options.dir)) {
    if (message.type === 'done') return { ...result, planted: message.planted };
    if (message.type !== 'file') continue;
    result.files.push(message.file);
    const done = result.rows;
    const summary = await importAppeals(db, viewer, message.file, {
      fileName: path.basename(message.file),
      source: 'demo-12345',
      onProgress: (p) => options.onProgress?.(done + p.rows, total),
    });
    result.rows += message.rows;
    result.inserted += summary.inserted;
    options.onProgress?.(result.rows, total);
  }
  throw new Error('the demo’s export writer ended without its hotspots / demo export writer ended early');
}
