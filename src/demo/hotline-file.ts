import fs from 'node:fs';
import iconv from 'iconv-lite';
import { csvRow } from '../csv.ts';
import { communityNames, seededRandom, type GeneratedAppeal } from './generator.ts';
import { canonicalHeaders, type ImportField } from '../domains/appeals/import/mapping.ts';

/**
 * Writes appeals as a hotline office's CSV export, under the default mapping's Chinese headers.
 * With `messy`, some rows look like real exports do: full-width digits, other time formats and
 * spreadsheet serial numbers, official community names with 居委会 or bare ones, category paths,
 * a few repeated rows, a few broken rows and a few communities nobody can match.
 */
export const hotlineColumns: ImportField[] = [
  'ticketNo',
  'receivedAt',
  'channel',
  'kind',
  'category',
  'description',
  'district',
  'street',
  'community',
  'address',
  'reporterName',
  'reporterPhone',
  'urgency',
  'dispatchedUnit',
  'dispatchedAt',
  'respondedAt',
  'handledAt',
  'contacted',
  'solved',
  'satisfaction',
  'callbackAt',
  'closedAt',
];

export type FileEncoding = 'utf8' | 'utf8-bom' | 'gbk';

export interface HotlineFileOptions {
  encoding?: FileEncoding;
  messy?: boolean;
  /** Seeds the mess, so the same appeals always come out the same messy way. */
  seed?: number | string;
}

export interface HotlineFileStats {
  rows: number;
  /** Rows made broken on purpose (messy only): the import must report these. */
  broken: number;
  /** Extra copies of rows (messy only). */
  repeated: number;
}

const SHANGHAI = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD ' of Beijing days, by day number: an export's times fall on a few hundred days. */
const dayTexts = new Map<number, string>();
const DAY_MS = 86_400_000;

function beijingText(at: Date): string {
  const local = at.getTime() + SHANGHAI;
  const day = Math.floor(local / DAY_MS);
  let date = dayTexts.get(day);
  if (date === undefined) {
    const t = new Date(day * DAY_MS);
    date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} `;
    dayTexts.set(day, date);
  }
  const seconds = Math.floor((local - day * DAY_MS) / 1000);
  return `${date}${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

const satisfactionZh = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' } as const;
const channelZh = { phone: '12345热线', web: '网站', app: '北京12345小程序', open311: 'Open311', walk_in: '来访' } as const;
const yesNo = (value: boolean | null) => (value === null ? '' : value ? '是' : '否');
const time = (at: Date | null) => (at ? beijingText(at) : '');
const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * The cells of one appeal in `hotlineColumns` order, clean. Written out in that order, not looked
 * up by field, since the demo writes a million of them; test/appeals/import/generator.test.ts
 * checks every cell under its header.
 */
export function hotlineCells(a: GeneratedAppeal): string[] {
  // Not written: the generator names places, not codes, as district exports do.
  return [
    a.ticketNo,
    beijingText(a.receivedAt),
    channelZh[a.channel],
    a.kindZh,
    lastSegment(a.categoryPath),
    a.description,
    a.community.districtName,
    a.community.streetName,
    communityNames(a.community).short,
    a.address,
    a.reporterName,
    a.reporterPhone,
    a.urgency === 'urgent' ? '紧急' : '一般',
    a.dispatchedUnit ?? '',
    time(a.dispatchedAt),
    time(a.respondedAt),
    time(a.handledAt),
    yesNo(a.contacted),
    yesNo(a.solved),
    a.satisfaction ? satisfactionZh[a.satisfaction] : '',
    time(a.callbackAt),
    time(a.closedAt),
  ];
}

const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const col = (field: ImportField) => hotlineColumns.indexOf(field);

/** One row as a messy export might have it; `broken` when the import must refuse it. */
function mess(cells: string[], a: GeneratedAppeal, random: () => number): { cells: string[]; broken: boolean } {
  const out = [...cells];
  const r = random();
  if (r < 0.03) out[col('ticketNo')] = fullWidth(out[col('ticketNo')]!);
  if (random() < 0.03) out[col('reporterPhone')] = fullWidth(out[col('reporterPhone')]!);
  const t = random();
  const t8 = new Date(a.receivedAt.getTime() + SHANGHAI);
  if (t < 0.03)
    out[col('receivedAt')] =
      `${t8.getUTCFullYear()}/${t8.getUTCMonth() + 1}/${t8.getUTCDate()} ${t8.getUTCHours()}:${pad(t8.getUTCMinutes())}`;
  else if (t < 0.05)
    out[col('receivedAt')] =
      `${t8.getUTCFullYear()}年${t8.getUTCMonth() + 1}月${t8.getUTCDate()}日 ${t8.getUTCHours()}时${pad(t8.getUTCMinutes())}分`;
  else if (t < 0.06) out[col('receivedAt')] = ((t8.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000).toFixed(6);
  const n = random();
  if (n < 0.3) out[col('community')] = a.community.name;
  else if (n < 0.4) out[col('community')] = communityNames(a.community).core;
  if (random() < 0.15) out[col('category')] = a.categoryPath;
  const b = random();
  if (b < 0.002) return { cells: [...out.slice(0, 0), '', ...out.slice(1)], broken: true };
  if (b < 0.004) {
    out[col('receivedAt')] = '待定';
    return { cells: out, broken: true };
  }
  if (b < 0.009) {
    // A community nobody can match: a misspelt name and an address without it.
    out[col('community')] = `${out[col('community')]!.slice(0, 1)}新区`;
    out[col('address')] = `${a.community.streetName}附近`;
  }
  return { cells: out, broken: false };
}

export async function writeHotlineFile(
  appeals: Iterable<GeneratedAppeal>,
  file: string,
  options: HotlineFileOptions = {},
  onRow?: (n: number) => void,
): Promise<HotlineFileStats> {
  const encoding = options.encoding ?? 'utf8-bom';
  const random = seededRandom(`mess:${options.seed ?? 12345}`);
  const out = fs.createWriteStream(file);
  const encode = (text: string) => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
  const write = (text: string) =>
    out.write(encode(text)) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  const stats: HotlineFileStats = { rows: 0, broken: 0, repeated: 0 };
  if (encoding === 'utf8-bom') out.write('\uFEFF');
  let batch: string[] = [hotlineColumns.map((c) => canonicalHeaders[c]).join(',')];
  const line = (cells: string[]) => csvRow(cells);
  for (const appeal of appeals) {
    let cells = hotlineCells(appeal);
    if (options.messy) {
      const messy = mess(cells, appeal, random);
      cells = messy.cells;
      if (messy.broken) stats.broken++;
      if (random() < 0.003) {
        batch.push(line(cells));
        stats.repeated++;
      }
    }
    batch.push(line(cells));
    stats.rows++;
    if (batch.length >= 2000) {
      await write(`${batch.join('\r\n')}\r\n`);
      batch = [];
      onRow?.(stats.rows);
    }
  }
  if (batch.length > 0) await write(`${batch.join('\r\n')}\r\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  onRow?.(stats.rows);
  return stats;
}
