import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '../db/connection.ts';
import { communitySize, generateAppeals, loadCommunities, seededRandom, type GeneratedAppeal, type Hotspot } from './generator.ts';
import { writeHotlineFile } from './hotline-file.ts';
import { importAppealFiles, type ImportFile } from '../domains/appeals/import/service.ts';
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
  const shuffle = (codes: string[]) =>
    codes
      .map((c) => [random(), c] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => c);
  const fengtai = shuffle(communityCodes.filter((c) => c.startsWith(FENGTAI) && c !== JINGTIE && !/村/.test(c)));
  const fengtaiChronic = [JINGTIE, ...fengtai.slice(0, 25)];
  const fengtaiRising = fengtai.slice(25, 49);
  const elsewhere = shuffle(communityCodes.filter((c) => !c.startsWith(FENGTAI) && !c.startsWith(SHIJINGSHAN))).slice(0, 60);
  // A hotspot is as loud as the loudest communities whatever its own size: the multiplier lifts
  // it to a target weight (sizes are log-normal around 1; the top 1 % lie above about 7).
  const loud = (code: string, weight: number) => Math.max(1, weight / communitySize(code));
  const others = fengtaiChronic.filter((code) => code !== JINGTIE);
  const hotspots: Hotspot[] = [
    ...fengtaiChronic.map((code) => ({ communityCode: code, multiplier: loud(code, 14), categories: parkingAndProperty, to: '2021-11' })),
    // After the secretaries came, the same places stay busy but less so.
    ...others.map((code) => ({ communityCode: code, multiplier: loud(code, 10), categories: parkingAndProperty, from: '2021-12' })),
    // 京铁家园: once its 791-space lot opens (November 2022) parking stops being what residents
    // call about; the elevators and the property's service remain, and fewer calls in all.
    { communityCode: JINGTIE, multiplier: loud(JINGTIE, 10), categories: parkingAndProperty, from: '2021-12', to: '2022-10' },
    {
      communityCode: JINGTIE,
      multiplier: loud(JINGTIE, 8),
      categories: ['property.service', 'elevator.fault', 'elevator.renewal', 'sanitation.clutter'],
      from: '2022-11',
    },
    ...fengtaiRising.map((code) => ({
      communityCode: code,
      multiplier: loud(code, 11),
      categories: ['heating', 'property.service', 'sanitation'],
      from: '2022-01',
    })),
    ...elsewhere.map((code) => ({ communityCode: code, multiplier: loud(code, 11) })),
    { communityCode: GAOJINGLU, multiplier: loud(GAOJINGLU, 6), categories: ['gas'] },
  ];
  return { fengtaiChronic, fengtaiRising, hotspots };
}

/**
 * The city's resolution rate as the demo models it, on top of the generator's yearly rise: about
 * 82 % at the end of 2020, past 90 % in 2022 and about 95 % by the end of 2023, on the published
 * path from 53 % (2019) to 97 % (2024) — the years between are a modelling choice (DOMAIN.md).
 */
export const cityLift = 0.11;

/**
 * What a secretary changes, as the simulation models it: chronic communities resolve less before
 * (their problems are the hard ones), and more once a secretary is posted, ramping up over four
 * months, still below their district. Calibrated so the first batch's change comes out near the
 * article's +28.76 %, which mustanswer then computes from the appeals like any other figure.
 */
export function postingEffect(planted: Planted) {
  const chronic = new Set(planted.fengtaiChronic);
  const rising = new Set(planted.fengtaiRising);
  const monthsSince = (month: string, start: string) =>
    (Number(month.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(month.slice(5, 7)) - Number(start.slice(5, 7));
  const ramp = (month: string, start: string) => Math.min(1, Math.max(0, (monthsSince(month, start) + 1) / 4));
  return (code: string, month: string): number => {
    if (chronic.has(code)) return cityLift - 0.24 + 0.095 * ramp(month, demoClock.fengtaiBatch1);
    if (rising.has(code)) return cityLift - 0.15 + 0.12 * ramp(month, demoClock.fengtaiBatch2);
    if (code.startsWith(SHIJINGSHAN)) return cityLift + 0.03 * ramp(month, demoClock.shijingshanBatch1);
    return cityLift;
  };
}

/** When the demo's hotline exports were taken: outcomes after it are not known. */
export const exportsTakenAt = new Date('2024-01-10T00:00:00+08:00');

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
 * Writes the demo's appeals as hotline exports, one file a month as district offices send them,
 * telling `ready` of each as it is written. The generator yields in time order: one month is held
 * at a time.
 */
export async function writeDemoExports(scale: number, dir: string, ready: (message: DemoExportsMessage) => void): Promise<void> {
  const communities = await loadCommunities('11');
  const planted = plantHotspots(communities.map((c) => c.code));
  fs.mkdirSync(dir, { recursive: true });
  const write = async (month: string, appeals: GeneratedAppeal[]) => {
    const file = path.join(dir, `12345-export-${month}.csv`);
    await writeHotlineFile(appeals, file);
    ready({ type: 'file', file, rows: appeals.length });
  };
  let month = '';
  let appeals: GeneratedAppeal[] = [];
  for (const appeal of generateAppeals({
    count: demoVolume(scale),
    from: demoClock.from,
    to: demoClock.to,
    seed: 'mustanswer-demo',
    communities,
    hotspots: planted.hotspots,
    resolution: postingEffect(planted),
    // The exports were taken on 10 January 2024: December's appeals have their outcomes, rather
    // than standing open (and overdue) for as long as the demo is looked at.
    now: exportsTakenAt,
  })) {
    const appealMonth = new Date(appeal.receivedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    if (appealMonth !== month && appeals.length > 0) {
      await write(month, appeals);
      appeals = [];
    }
    month = appealMonth;
    appeals.push(appeal);
  }
  if (appeals.length > 0) await write(month, appeals);
  ready({ type: 'done', planted });
}

/** The demo's exports being written in a worker thread: started at once, read as they come. */
export interface DemoExports {
  messages: AsyncIterable<DemoExportsMessage>;
  /** Stops the writer, if it is still writing. */
  stop(): Promise<void>;
}

/**
 * Starts writing the demo's exports in a worker thread: the first months are written while this
 * thread loads the divisions, and each next month while it imports the one before, on the second
 * core (generating and writing cost about 30 µs an appeal, which the import would otherwise wait for).
 */
export function startDemoExports(scale: number, dir: string): DemoExports {
  const worker = new Worker(new URL('./exports-worker-boot.mjs', import.meta.url), {
    workerData: { scale, dir, entry: new URL('./exports-worker.ts', import.meta.url).href },
  });
  const ready: DemoExportsMessage[] = [];
  let waiting: (() => void) | undefined;
  let finished = false;
  const deliver = (message: DemoExportsMessage) => {
    ready.push(message);
    waiting?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'error', message: error.message }));
  worker.on('exit', () => {
    if (!finished) deliver({ type: 'error', message: 'the demo’s export writer stopped / demo export writer exited' });
  });
  const stop = async () => {
    finished = true;
    await worker.terminate();
  };
  async function* messages(): AsyncGenerator<DemoExportsMessage> {
    try {
      for (;;) {
        while (ready.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
        const message = ready.shift()!;
        if (message.type === 'error') throw new Error(message.message);
        yield message;
        if (message.type === 'done') return;
      }
    } finally {
      await stop();
    }
  }
  return { messages: messages(), stop };
}

/**
 * Loads the demo's exports, as `startDemoExports` writes them, through the same import users run:
 * as one batch, each month imported as soon as its export is written, into an empty database, so
 * in bulk (the indexes and the rollups are built once, at the end).
 */
export async function loadDemoAppeals(
  db: Database,
  written: DemoExports,
  viewer: Viewer,
  options: { scale: number; onProgress?: (rows: number, total: number) => void },
): Promise<DemoAppealsResult> {
  const total = demoVolume(options.scale);
  let planted: Planted | undefined;
  const files: string[] = [];
  let rows = 0;
  async function* exports(): AsyncGenerator<ImportFile> {
    for await (const message of written.messages) {
      if (message.type === 'done') planted = message.planted;
      if (message.type !== 'file') continue;
      files.push(message.file);
      rows += message.rows;
      yield { file: message.file };
    }
  }
  const summaries = await importAppealFiles(db, exports(), viewer, {
    source: 'demo-12345',
    bulk: true,
    onProgress: (p) => options.onProgress?.(p.rows, total),
  });
  if (!planted) throw new Error('the demo’s export writer ended without its hotspots / demo export writer ended early');
  options.onProgress?.(rows, total);
  return { planted, files, rows, inserted: summaries.reduce((n, s) => n + s.inserted, 0) };
}
