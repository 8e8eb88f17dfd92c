import { AppError, conflict, invalid } from '../../errors.ts';
import { inScope, type Viewer } from '../accounts/viewer.ts';
import { currentMonth } from '../evaluation/periods.ts';
import { getConfig } from '../evaluation/service.ts';
import { requireBatch, requirePosting, requireProgram } from '../programs/guards.ts';
import { firstMonthAfter } from '../projects/windows.ts';
import { estimate, type Interval, type OutcomeEstimate } from './did.ts';
import {
  design,
  placeboDates,
  placeboUntreatedRuns,
  type Design,
  type DesignOptions,
  type PlaceboResult,
  type TreatedCommunity,
} from './design.ts';
import { balance, featuresOf, type Feature, type MatchCandidate } from './matching.ts';
import { monthIndex, monthOf, outcomes, type Outcome, type PanelCounts, type PanelRow } from './panel.ts';
import * as q from './queries.ts';
import type { ImpactInput, ImpactReport, OutcomeReport, Verdict } from './schemas.ts';

type Db = q.Db;
type Lang = 'zh' | 'en';

export const DEFAULTS = { k: 3, months: 12, draws: 1000, seed: 20211130, range: 12 } as const;
/** A rate's interval wider than 20 points says nothing a reader can use: "too few appeals to say". */
export const RATE_WIDTH_LIMIT = 0.2;
/** Volume: an interval wider than half the treated communities' monthly volume before. */
export const VOLUME_WIDTH_SHARE = 0.5;
/** A standardised mean difference beyond this after matching is named in the report's notes. */
export const IMBALANCE = 0.25;
/**
 * Fewer treated communities than this and the cluster bootstrap resamples (almost) the same ones
 * every draw: its interval would show only the comparison's spread, narrow and wrong. None is given.
 */
export const MIN_TREATED = 5;

const text = {
  zh: {
    estimator:
      'Callaway–Sant’Anna 式交错双重差分：按首个选派月份分组（队列），每个队列每月与“尚未选派”的社区（匹配的对照社区，以及之后批次尚未开始的社区）比较；每个社区先减去自身选派前 N 个月的均值，再比较选派社区与对照社区之差，ATT(g,t)。比率按当月有效回访加权，诉求量按社区等权；总效果为各队列选派后 N 个月 ATT 的加权平均（权重为选派社区的有效回访），不做单一双向固定效应回归，以免交错选派下早期队列充当后期队列的对照而产生偏差。事件研究为相对选派月份 −12…+12 的同一平均。',
    matching:
      '对照社区：数据窗口内从未被任何项目选派过的社区（默认本区，可选全市）。每个选派社区按其选派前 N 个月的特征——月均诉求量（对数）、解决率、响应率、满意率、解决率与诉求量的 12 个月趋势（后半段减前半段）、常住人口（对数，已登记时）——标准化后取欧氏距离（两项趋势计两倍权重：双重差分要求走势平行，而非水平相同）最近的 k 个（可重复使用）；对照组为所有匹配结果的并集。',
    uncertainty:
      '95% 置信区间：以社区为单位的整群自助法（选派社区在各自队列内、对照社区在对照池内有放回重抽），取百分位区间；种子固定，可重现。比率区间宽于 20 个百分点、诉求量区间宽于选派前月均量一半时，判为“诉求太少，无法下结论”。前趋势检验：事件研究选派前各月的斜率，其区间不含 0 即判为选派前已分化。',
    period: (from: string, to: string) => `评估期 ${from} 至 ${to}（批次日期截至数据末月，不以今天为准）`,
    title: (program: string, batch: number | null, posting: number | null) =>
      `${program}${batch !== null ? `第${batch}批` : ''}${posting !== null ? `选派 #${posting}` : ''}选派成效评估（双重差分）`,
    labels: { resolution: '解决率', response: '响应率', satisfaction: '满意率', volume: '诉求量（件/社区·月）' } as Record<Outcome, string>,
    naive: '朴素前后对比：选派社区自身前后之差，未扣除同期全区趋势与均值回归，仅供对照',
    verdict: {
      positive: '有改善（区间在 0 以上）',
      negative: '变差（区间在 0 以下）',
      inconclusive: '无明确效果（区间含 0）',
      too_few: '诉求太少，无法下结论',
    } as Record<Verdict, string>,
    volumeVerdict: {
      positive: '诉求量增加（区间在 0 以上）',
      negative: '诉求量减少（区间在 0 以下）',
      inconclusive: '无明确变化（区间含 0）',
      too_few: '诉求太少，无法下结论',
    } as Record<Verdict, string>,
    preTrend: {
      true: '选派前已分化：选派社区在选派前的走势就与对照不同，估计可能有偏',
      false: '选派前走势平行：未发现选派前分化',
      null: '选派前数据不足，无法检验',
    },
    placeboUntreated: '安慰剂一：在随机抽取的未选派社区假设同样的选派日期（重复 5 次）',
    placeboDates: (shift: number | null) => `安慰剂二：选派社区的选派日期提前 ${shift ?? '—'} 个月（只用真实选派前的数据）`,
    placeboText: (passed: boolean | null, quiet: number, runs: number) =>
      passed === null
        ? '数据不足，未能运行'
        : `${runs > 1 ? `${runs} 次中 ${quiet} 次` : ''}${passed ? '未发现效果（区间含 0），符合预期' : '发现了“效果”（区间不含 0）：对比方法本身可能有偏，结论需谨慎'}`,
    noPre: '选派前没有数据，无法比较',
    afterData: '选派开始于数据末月之后',
    carried: (n: number) => `沿用自第 ${n} 批，计入第 ${n} 批的评估`,
    features: {
      volume: '月均诉求量（对数）',
      resolution: '解决率',
      response: '响应率',
      satisfaction: '满意率',
      resolutionTrend: '解决率趋势',
      volumeTrend: '诉求量趋势',
      residents: '常住人口（对数）',
    } as Record<Feature, string>,
    partialMonth: (m: string) => `${m} 尚未结束，不计入`,
    chain: '单个选派按所在社区在本项目的首次选派起算（接任、续任延续同一社区的选派）',
    cityFallback: '本区可作对照的社区不足，对照池扩大到全市',
    imbalance: (features: string) =>
      `匹配后以下特征仍相差较大（标准化差绝对值 > 0.25）：${features}。双重差分只要求选派前走势平行、不要求水平相同，请结合前趋势检验阅读`,
    onePosting: (n: number) =>
      `只有 ${n} 个选派社区：按社区整群的自助法需要至少 ${MIN_TREATED} 个选派社区才能反映它们自身的波动，因此不给区间，只列出点估计与朴素对比，结论为“无法下结论”`,
  },
  en: {
    estimator:
      'Staggered difference-in-differences in the manner of Callaway and Sant’Anna: communities are grouped by their first treated month (cohorts); each cohort is compared month by month with communities not yet treated (the matched comparison communities, and later batches’ communities before their start). Each community is first differenced against its own mean over the N months before the cohort’s start; ATT(g,t) is the treated minus the comparison difference. Rates weigh each community-month by its valid callbacks, volume weighs communities equally. The overall figure averages ATT(g,t) over each cohort’s first N treated months, weighted by the treated communities’ callbacks: no single two-way fixed-effects regression, which on staggered starts uses earlier cohorts as controls for later ones and is biased. The event study is the same average by month relative to the start, −12 … +12.',
    matching:
      'Comparison communities: communities no program posted anyone to within the data’s window (the district by default, or the city). Each treated community is matched on its N months before the start — monthly volume (log), resolution, response and satisfaction rates, the 12-month trend of resolution and of volume (second half minus first half), residents (log) where recorded — standardised, Euclidean distance with the two trends counted twice (difference-in-differences needs parallel movement more than equal levels), its k nearest, with replacement; the comparison group is the union of the matches.',
    uncertainty:
      '95 % confidence intervals by a cluster bootstrap over communities (treated ones resampled within their cohort, comparison ones within their pool), percentile intervals, fixed seed. A rate whose interval is wider than 20 points, or volume wider than half the treated communities’ monthly volume before, is reported as “too few appeals to say”. Pre-trend check: the slope of the event study over the months before the start; an interval excluding 0 means the treated communities were already diverging.',
    period: (from: string, to: string) =>
      `Evaluation period ${from} to ${to} (the batch’s dates clipped to the last month of data, never today)`,
    title: (program: string, batch: number | null, posting: number | null) =>
      `Impact of ${program}${batch !== null ? `, batch ${batch}` : ''}${posting !== null ? `, posting #${posting}` : ''} (difference-in-differences)`,
    labels: {
      resolution: 'Resolution rate',
      response: 'Response rate',
      satisfaction: 'Satisfaction rate',
      volume: 'Appeals per community-month',
    } as Record<Outcome, string>,
    naive:
      'Naive before/after: the treated communities against themselves, with neither the district’s trend nor regression to the mean taken out; shown for comparison only',
    verdict: {
      positive: 'Improved (interval above 0)',
      negative: 'Worse (interval below 0)',
      inconclusive: 'No clear effect (interval covers 0)',
      too_few: 'Too few appeals to say',
    } as Record<Verdict, string>,
    volumeVerdict: {
      positive: 'More appeals (interval above 0)',
      negative: 'Fewer appeals (interval below 0)',
      inconclusive: 'No clear change (interval covers 0)',
      too_few: 'Too few appeals to say',
    } as Record<Verdict, string>,
    preTrend: {
      true: 'Diverging before the start: the treated communities already moved unlike the comparison; the estimate may be biased',
      false: 'Parallel before the start: no divergence found',
      null: 'Too little data before the start to check',
    },
    placeboUntreated: 'Placebo 1: the same start dates given to randomly drawn untreated communities (5 runs)',
    placeboDates: (shift: number | null) =>
      `Placebo 2: the treated communities’ start moved ${shift ?? '—'} months earlier (data before the real start only)`,
    placeboText: (passed: boolean | null, quiet: number, runs: number) =>
      passed === null
        ? 'Too little data: not run'
        : `${runs > 1 ? `${quiet} of ${runs} runs: ` : ''}${passed ? 'nothing found (interval covers 0), as expected' : 'an “effect” found (interval excludes 0): the comparison itself may be biased; read the estimate with care'}`,
    noPre: 'No data before the start to compare with',
    afterData: 'Starts after the last month of data',
    carried: (n: number) => `Carried over from batch ${n}: evaluated with batch ${n}`,
    features: {
      volume: 'Monthly volume (log)',
      resolution: 'Resolution rate',
      response: 'Response rate',
      satisfaction: 'Satisfaction rate',
      resolutionTrend: 'Resolution trend',
      volumeTrend: 'Volume trend',
      residents: 'Residents (log)',
    } as Record<Feature, string>,
    partialMonth: (m: string) => `${m} has not ended and is left out`,
    chain: 'A posting is evaluated from the first posting of the program in its community (successions and renewals continue it)',
    cityFallback: 'Too few comparison communities in the district: the pool is the whole city',
    imbalance: (features: string) =>
      `After matching these features still differ widely (|standardised difference| > 0.25): ${features}. Difference-in-differences needs parallel trends before the start, not equal levels: read it with the pre-trend check`,
    onePosting: (n: number) =>
      `Only ${n} treated communit${n === 1 ? 'y' : 'ies'}: a bootstrap over communities needs at least ${MIN_TREATED} treated ones to reflect their own noise, so no interval is given; the point estimate and the naive figure are shown for description, and the verdict is “too few to say”`,
  },
} as const;

/** The last month a posting that ended on `end` still counts as treated: its month if it held most of it. */
const lastTreatedMonth = (end: string) => monthIndex(firstMonthAfter(end)) - 1;

export interface Prepared {
  lang: Lang;
  level: ImpactReport['level'];
  program: { id: number; name: string; districtCode: string };
  batch: { id: number; number: number; start: string; end: string | null } | null;
  postingId: number | null;
  pool: 'district' | 'city';
  options: DesignOptions;
  treated: Array<TreatedCommunity & { name: string; streetName: string; batchNumber: number; firstStart: string }>;
  excluded: ImpactReport['excluded'];
  candidates: Array<MatchCandidate & { name: string; streetName: string }>;
  design: Design;
  notes: string[];
}

/** Reads and checks everything an estimate needs; also what the panel export writes. */
export async function prepare(db: Db, input: ImpactInput, viewer: Viewer): Promise<Prepared> {
  const lang: Lang = input.lang ?? 'zh';
  const t = text[lang];
  if (input.batch !== undefined && input.posting !== undefined) {
    throw invalid('批次与选派只能指定一个', 'Give a batch or a posting, not both', [{ field: 'posting', message: 'not with batch' }]);
  }
  const program = await requireProgram(db, input.program, viewer, 'read');
  const pool = input.pool ?? 'district';
  // The comparison reads every community of the district (or the city): only a viewer whose scope holds it.
  const poolPrefix = pool === 'city' ? program.district_code.slice(0, 4) : program.district_code;
  if (!inScope(viewer, poolPrefix)) {
    throw new AppError(
      'forbidden',
      '成效评估要与全区（或全市）社区对比，需要覆盖该范围的账号',
      'An impact estimate compares with the whole district (or city): it needs a login whose scope covers it',
      [{ field: 'pool', message: poolPrefix }],
    );
  }
  let batch: Prepared['batch'] = null;
  if (input.batch !== undefined) {
    const found = (await requireBatch(db, input.batch, viewer, 'read')).batch;
    if (found.program_id !== program.id)
      throw invalid('批次不属于该项目', 'The batch belongs to another program', [{ field: 'batch', message: 'other program' }]);
    batch = { id: found.id, number: found.number, start: found.start_date, end: found.end_date };
  }
  let postingCommunity: string | null = null;
  if (input.posting !== undefined) {
    const posting = await requirePosting(db, input.posting, viewer, 'read');
    if (posting.program_id !== program.id)
      throw invalid('选派不属于该项目', 'The posting belongs to another program', [{ field: 'posting', message: 'other program' }]);
    postingCommunity = posting.community_code;
  }

  const [months, config, postings] = await Promise.all([q.dataMonths(db, poolPrefix), getConfig(db), q.programPostings(db, program.id)]);
  if (months.from === null || months.to === null)
    throw conflict('该范围内还没有诉求数据，无法评估', 'No appeal data in this area yet: nothing to evaluate');
  const notes: string[] = [];
  let dataTo = monthIndex(months.to);
  const now = monthIndex(currentMonth());
  if (dataTo >= now) {
    notes.push(t.partialMonth(monthOf(now)));
    dataTo = now - 1;
  }
  const dataFrom = monthIndex(months.from);
  const windowMonths = input.months ?? DEFAULTS.months;
  const options: DesignOptions = {
    dataFrom,
    dataTo,
    pre: windowMonths,
    post: windowMonths,
    range: DEFAULTS.range,
    draws: input.draws ?? DEFAULTS.draws,
    seed: input.seed ?? DEFAULTS.seed,
    basicallyFactor: config.basicallySatisfiedFactor,
    k: input.k ?? DEFAULTS.k,
  };

  // Each community's stretch in the program: from its first posting to the end of its last (open: none).
  const chains = new Map<string, { first: q.ProgramPostingRow; end: string | null; open: boolean }>();
  for (const p of postings) {
    const chain = chains.get(p.community_code);
    if (!chain) chains.set(p.community_code, { first: p, end: p.end_date, open: p.end_date === null });
    else {
      chain.open ||= p.end_date === null;
      if (p.end_date !== null && (chain.end === null || p.end_date > chain.end)) chain.end = p.end_date;
    }
  }
  const excluded: ImpactReport['excluded'] = [];
  const chosen: Array<{ chain: { first: q.ProgramPostingRow; end: string | null; open: boolean } }> = [];
  for (const chain of chains.values()) {
    const c = chain.first;
    if (postingCommunity !== null) {
      if (c.community_code === postingCommunity) chosen.push({ chain });
      continue;
    }
    if (batch !== null) {
      const inBatch = postings.some((p) => p.community_code === c.community_code && p.batch_id === batch.id);
      if (!inBatch) continue;
      if (c.batch_id !== batch.id) {
        excluded.push({ code: c.community_code, name: c.community_name, streetName: c.street_name, reason: t.carried(c.batch_number) });
        continue;
      }
    }
    chosen.push({ chain });
  }
  if (postingCommunity !== null) notes.push(t.chain);

  const rows = await q.panelRows(db, poolPrefix, monthOf(dataFrom), monthOf(dataTo));
  const byCommunity = new Map<string, Map<number, PanelCounts>>();
  for (const row of rows) {
    let m = byCommunity.get(row.communityCode);
    if (!m) {
      m = new Map();
      byCommunity.set(row.communityCode, m);
    }
    m.set(monthIndex(row.month), row);
  }
  const monthsOf = (code: string) => byCommunity.get(code) ?? new Map<number, PanelCounts>();
  const residents = await q.residentsOf(
    db,
    chosen.map((c) => c.chain.first.community_code),
  );

  const treated: Prepared['treated'] = [];
  for (const { chain } of chosen) {
    const c = chain.first;
    const cohort = monthIndex(firstMonthAfter(c.start_date));
    const entry = { code: c.community_code, name: c.community_name, streetName: c.street_name };
    if (cohort <= dataFrom) {
      excluded.push({ ...entry, reason: t.noPre });
      continue;
    }
    if (cohort > dataTo) {
      excluded.push({ ...entry, reason: t.afterData });
      continue;
    }
    treated.push({
      ...entry,
      months: monthsOf(c.community_code),
      residents: residents.get(c.community_code) ?? null,
      cohort,
      lastTreated: chain.open || chain.end === null ? null : lastTreatedMonth(chain.end),
      batchNumber: c.batch_number,
      firstStart: c.start_date,
    });
  }
  if (treated.length < MIN_TREATED) notes.push(t.onePosting(treated.length));

  // Untreated over the whole data window: anyone posted at any time in it is no comparison.
  let untreated = await q.untreatedCommunities(db, poolPrefix, `${monthOf(dataFrom)}-01`, lastDay(monthOf(dataTo)));
  let usedPool = pool;
  if (pool === 'district' && untreated.length < Math.max(10, options.k * 2) && inScope(viewer, program.district_code.slice(0, 4))) {
    notes.push(t.cityFallback);
    usedPool = 'city';
    const cityPrefix = program.district_code.slice(0, 4);
    untreated = await q.untreatedCommunities(db, cityPrefix, `${monthOf(dataFrom)}-01`, lastDay(monthOf(dataTo)));
    for (const row of await q.panelRows(db, cityPrefix, monthOf(dataFrom), monthOf(dataTo))) {
      if (row.communityCode.startsWith(program.district_code)) continue;
      let m = byCommunity.get(row.communityCode);
      if (!m) {
        m = new Map();
        byCommunity.set(row.communityCode, m);
      }
      m.set(monthIndex(row.month), row);
    }
  }
  // A community with no appeals at all in the window tells nothing about trends: it is not matched.
  const candidates = untreated
    .filter((c) => byCommunity.has(c.code))
    .map((c) => ({ code: c.code, name: c.name, streetName: c.street_name, residents: c.residents, months: monthsOf(c.code) }));

  return {
    lang,
    level: postingCommunity !== null ? 'posting' : batch !== null ? 'batch' : 'program',
    program: { id: program.id, name: program.name, districtCode: program.district_code },
    batch,
    postingId: input.posting ?? null,
    pool: usedPool,
    options,
    treated,
    excluded,
    candidates,
    design: design(treated, candidates, options),
    notes,
  };
}

function lastDay(month: string): string {
  const next = monthOf(monthIndex(month) + 1);
  const d = new Date(`${next}-01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

function verdictOf(outcome: Outcome, i: Interval, preVolume: number | null): Verdict {
  if (i.estimate === null || i.low === null || i.high === null) return 'too_few';
  const limit = outcome === 'volume' ? VOLUME_WIDTH_SHARE * (preVolume ?? 0) : RATE_WIDTH_LIMIT;
  if (i.high - i.low > limit) return 'too_few';
  if (i.low > 0) return 'positive';
  if (i.high < 0) return 'negative';
  return 'inconclusive';
}

const noInterval = <T extends Interval>(i: T): T => ({ ...i, low: null, high: null });

function outcomeReport(outcome: Outcome, estimated: OutcomeEstimate, lang: Lang, treated: number): OutcomeReport {
  const t = text[lang];
  const e: OutcomeEstimate =
    treated >= MIN_TREATED
      ? estimated
      : {
          ...estimated,
          overall: noInterval(estimated.overall),
          cohorts: estimated.cohorts.map(noInterval),
          event: estimated.event.map(noInterval),
          preTrend: { slope: noInterval(estimated.preTrend.slope), diverged: null },
        };
  const verdict = verdictOf(outcome, e.overall, e.naive.before);
  return {
    outcome,
    label: t.labels[outcome],
    unit: outcome === 'volume' ? 'appeals' : 'rate',
    overall: { ...e.overall, verdict, verdictText: (outcome === 'volume' ? t.volumeVerdict : t.verdict)[verdict] },
    cohorts: e.cohorts,
    event: e.event,
    preTrend: { ...e.preTrend, text: t.preTrend[String(e.preTrend.diverged) as 'true' | 'false' | 'null'] },
    naive: { label: t.naive, ...e.naive },
  };
}

/** Untreated placebo runs allowed to miss 0 before the check fails: one in five is chance (P ≈ 0.98 of at most one). */
export const PLACEBO_RUNS = 5;

/**
 * One placebo row from its runs (one for the dates placebo): the run with the median estimate is
 * shown; the check passes when every run but at most one covers 0 (all of them for a single run).
 */
function placeboReport(runs: readonly PlaceboResult[], lang: Lang): ImpactReport['placebo'][number] {
  const t = text[lang];
  const first = runs[0]!;
  const intervals = runs
    .flatMap((p) => (p.estimate ? [p.estimate.resolution.overall] : []))
    .filter((i) => i.low !== null && i.high !== null && i.estimate !== null);
  const sorted = [...intervals].sort((a, b) => a.estimate! - b.estimate!);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? { estimate: null, low: null, high: null };
  const quiet = intervals.filter((i) => i.low! <= 0 && i.high! >= 0).length;
  const passed = intervals.length === 0 ? null : quiet >= intervals.length - (intervals.length > 1 ? 1 : 0);
  return {
    kind: first.kind,
    label: first.kind === 'untreated' ? t.placeboUntreated : t.placeboDates(first.shift),
    treated: first.treated,
    controls: first.controls,
    shift: first.shift,
    resolution: { estimate: median.estimate, low: median.low, high: median.high },
    runs: intervals.length,
    quiet,
    passed,
    text: t.placeboText(passed, quiet, intervals.length),
  };
}

/** The impact of a program, a batch or one posting: the estimate, its checks and its comparison. */
export async function impactReport(db: Db, input: ImpactInput, viewer: Viewer): Promise<ImpactReport> {
  return reportOf(await prepare(db, input, viewer));
}

/** The report of a prepared design: pure, no database. */
export function reportOf(p: Prepared): ImpactReport {
  const t = text[p.lang];
  const o = p.options;
  const result = estimate(p.design.units, o);
  // Placebos need the same number of communities as the estimate's interval does.
  const enough = p.treated.length >= MIN_TREATED;
  const placebos: PlaceboResult[][] = enough
    ? [placeboUntreatedRuns(p.treated, p.candidates, o, PLACEBO_RUNS), [placeboDates(p.design.units, o)]]
    : [
        [{ kind: 'untreated', treated: 0, controls: 0, shift: null, estimate: null }],
        [{ kind: 'dates', treated: 0, controls: 0, shift: null, estimate: null }],
      ];

  const names = new Map<string, { name: string; streetName: string; residents: number | null }>(p.candidates.map((c) => [c.code, c]));
  const timesMatched = new Map<string, number>();
  for (const m of p.design.matched) for (const x of m.matches) timesMatched.set(x.code, (timesMatched.get(x.code) ?? 0) + 1);

  // Balance: treated communities and their matches each on the treated one's pre-period; the pool on the earliest cohort's.
  const pre = (cohort: number): [number, number] => [Math.max(o.dataFrom, cohort - o.pre), cohort - 1];
  const treatedFeatures = p.design.matched.map((m) => m.features);
  const byCode = new Map(p.candidates.map((c) => [c.code, c]));
  const matchedFeatures = p.design.matched.flatMap((m, i) => {
    const [from, to] = pre(p.treated[i]!.cohort);
    return m.matches.map((x) => featuresOf(byCode.get(x.code)!, from, to, o.basicallyFactor));
  });
  const earliest = Math.min(...p.treated.map((x) => x.cohort));
  const poolFeatures = p.treated.length > 0 ? p.candidates.map((c) => featuresOf(c, ...pre(earliest), o.basicallyFactor)) : [];
  const vsMatched = balance(treatedFeatures, matchedFeatures);
  const vsPool = balance(treatedFeatures, poolFeatures);
  const imbalanced = vsMatched.filter((b) => b.smd !== null && Math.abs(b.smd) > IMBALANCE).map((b) => t.features[b.feature]);
  const notes = imbalanced.length > 0 ? [...p.notes, t.imbalance(imbalanced.join(p.lang === 'zh' ? '、' : ', '))] : p.notes;

  const batchEnd = p.batch?.end ?? null;
  const periodFrom = p.batch?.start ?? p.treated.map((x) => x.firstStart).sort()[0] ?? `${monthOf(o.dataFrom)}-01`;
  const dataEnd = lastDay(monthOf(o.dataTo));
  const periodTo = batchEnd !== null && batchEnd < dataEnd ? batchEnd : dataEnd;

  return {
    lang: p.lang,
    title: t.title(p.program.name, p.batch?.number ?? null, p.postingId),
    level: p.level,
    programId: p.program.id,
    programName: p.program.name,
    batchId: p.batch?.id ?? null,
    batchNumber: p.batch?.number ?? null,
    postingId: p.postingId,
    period: { from: periodFrom, to: periodTo, text: t.period(periodFrom, periodTo) },
    data: { from: monthOf(o.dataFrom), to: monthOf(o.dataTo), source: 'place_month_counts' },
    method: {
      estimator: t.estimator.replace(/\bN\b/g, String(o.pre)),
      matching: t.matching.replace(/\bN\b/g, String(o.pre)),
      uncertainty: t.uncertainty,
      limits: { rateWidth: RATE_WIDTH_LIMIT, volumeWidthShare: VOLUME_WIDTH_SHARE },
      draws: o.draws,
      seed: o.seed,
      k: o.k,
      months: o.pre,
      pool: p.pool,
    },
    treated: p.treated.map((x, i) => ({
      code: x.code,
      name: x.name,
      streetName: x.streetName,
      batchNumber: x.batchNumber,
      firstStart: x.firstStart,
      cohort: monthOf(x.cohort),
      lastTreated: x.lastTreated === null ? null : monthOf(x.lastTreated),
      matches: p.design.matched[i]!.matches.map((m) => ({
        code: m.code,
        name: names.get(m.code)?.name ?? m.code,
        streetName: names.get(m.code)?.streetName ?? '',
        distance: m.distance,
      })),
    })),
    excluded: p.excluded,
    comparison: p.design.comparison.map((code) => ({
      code,
      name: names.get(code)?.name ?? code,
      streetName: names.get(code)?.streetName ?? '',
      residents: names.get(code)?.residents ?? null,
      timesMatched: timesMatched.get(code) ?? 0,
    })),
    poolSize: p.candidates.length,
    balance: vsMatched.map((b, i) => ({
      feature: b.feature,
      label: t.features[b.feature],
      treated: b.treated,
      matched: b.group,
      pool: vsPool[i]!.group,
      smdMatched: b.smd,
      smdPool: vsPool[i]!.smd,
    })),
    outcomes: outcomes.map((outcome) => outcomeReport(outcome, result[outcome], p.lang, p.treated.length)),
    placebo: placebos.map((x) => placeboReport(x, p.lang)),
    notes,
  };
}

// ── the panel, for rerunning the estimate elsewhere ─────────────────────────────────────────
export const panelColumns = [
  'community_code',
  'community_name',
  'street_name',
  'group',
  'first_treated_month',
  'last_treated_month',
  'month',
  'event_month',
  'volume',
  'response_valid',
  'contacted',
  'resolution_valid',
  'solved',
  'satisfaction_valid',
  'satisfied',
  'basically',
] as const;
export type PanelCell = string | number | null;

/**
 * Every community-month of the estimate, zeros included (a month without a row had no appeals):
 * the treated communities with their first (and last) treated month, and the comparison ones.
 */
export function panelTable(p: Prepared): PanelCell[][] {
  const out: PanelCell[][] = [];
  const write = (
    code: string,
    name: string,
    street: string,
    group: string,
    cohort: number | null,
    last: number | null,
    months: Map<number, PanelCounts>,
  ) => {
    for (let t = p.options.dataFrom; t <= p.options.dataTo; t++) {
      const c = months.get(t);
      out.push([
        code,
        name,
        street,
        group,
        cohort === null ? null : monthOf(cohort),
        last === null ? null : monthOf(last),
        monthOf(t),
        cohort === null ? null : t - cohort,
        c?.volume ?? 0,
        c?.responseValid ?? 0,
        c?.contacted ?? 0,
        c?.resolutionValid ?? 0,
        c?.solved ?? 0,
        c?.satisfactionValid ?? 0,
        c?.satisfied ?? 0,
        c?.basically ?? 0,
      ]);
    }
  };
  for (const x of p.treated) write(x.code, x.name, x.streetName, 'treated', x.cohort, x.lastTreated, x.months);
  const byCode = new Map(p.candidates.map((c) => [c.code, c]));
  for (const code of p.design.comparison) {
    const c = byCode.get(code)!;
    write(c.code, c.name, c.streetName, 'comparison', null, null, c.months);
  }
  return out;
}

export type { PanelRow };
