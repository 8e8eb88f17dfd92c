import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

const Num = Nullable(Type.Number());
const Month = Type.String({ description: 'YYYY-MM' });

export const ImpactQuery = Type.Object({
  program: Type.Integer({ minimum: 1, description: '书记项目 id / the program' }),
  batch: Type.Optional(
    Type.Integer({ minimum: 1, description: '只评估该批次新选派的社区 / only the communities this batch posted to first' }),
  ),
  posting: Type.Optional(Type.Integer({ minimum: 1, description: '只评估该选派所在社区 / one posting’s community' })),
  pool: Type.Optional(
    Type.Union([Type.Literal('district'), Type.Literal('city')], {
      description: '对照社区来自本区（默认）或全市 / comparison pool: the district (default) or the city',
    }),
  ),
  k: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 10, description: '每个选派社区匹配几个对照社区，默认 3 / comparison communities per treated one' }),
  ),
  months: Type.Optional(Type.Integer({ minimum: 3, maximum: 24, description: '前后窗口月数，默认 12 / months before and after' })),
  draws: Type.Optional(Type.Integer({ minimum: 100, maximum: 5000, description: '自助法抽样次数，默认 1000 / bootstrap draws' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: '随机种子，默认 20211130 / the bootstrap’s seed' })),
  lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
});
export type ImpactInput = Static<typeof ImpactQuery>;

export const IntervalSchema = Type.Object({
  estimate: Num,
  low: Num,
  high: Num,
});
export type Interval = Static<typeof IntervalSchema>;

export const VerdictSchema = Type.Union([
  Type.Literal('positive'),
  Type.Literal('negative'),
  Type.Literal('inconclusive'),
  Type.Literal('too_few'),
]);
export type Verdict = Static<typeof VerdictSchema>;

const OutcomeSchema = Type.Object({
  outcome: Type.Union([Type.Literal('resolution'), Type.Literal('response'), Type.Literal('satisfaction'), Type.Literal('volume')]),
  label: Type.String(),
  unit: Type.Union([Type.Literal('rate'), Type.Literal('appeals')]),
  overall: Type.Composite([
    IntervalSchema,
    Type.Object({
      treated: Type.Integer({ description: '选派社区数 / treated communities' }),
      controls: Type.Integer({ description: '对照社区数 / comparison communities' }),
      treatedWeight: Type.Number({
        description: '选派社区选派后窗口的有效回访（销量：社区月数）/ valid callbacks (volume: community-months) behind the figure',
      }),
      controlWeight: Type.Number(),
      verdict: VerdictSchema,
      verdictText: Type.String(),
    }),
  ]),
  cohorts: Type.Array(
    Type.Composite([
      IntervalSchema,
      Type.Object({
        cohort: Month,
        treated: Type.Integer(),
        controls: Type.Integer(),
        weight: Type.Number(),
        preFrom: Month,
        preTo: Month,
        postFrom: Month,
        postTo: Month,
      }),
    ]),
  ),
  event: Type.Array(Type.Composite([IntervalSchema, Type.Object({ e: Type.Integer(), weight: Type.Number() })])),
  preTrend: Type.Object({ slope: IntervalSchema, diverged: Nullable(Type.Boolean()), text: Type.String() }),
  naive: Type.Object({
    label: Type.String(),
    before: Num,
    after: Num,
    change: Num,
    beforeWeight: Type.Number(),
    afterWeight: Type.Number(),
  }),
});
export type OutcomeReport = Static<typeof OutcomeSchema>;
export type OutcomeName = OutcomeReport['outcome'];

const CommunitySchema = Type.Object({ code: Type.String(), name: Type.String(), streetName: Type.String() });

export const ImpactReportSchema = Type.Object({
  lang: Type.Union([Type.Literal('zh'), Type.Literal('en')]),
  title: Type.String(),
  level: Type.Union([Type.Literal('program'), Type.Literal('batch'), Type.Literal('posting')]),
  programId: Type.Integer(),
  programName: Type.String(),
  batchId: Nullable(Type.Integer()),
  batchNumber: Nullable(Type.Integer()),
  postingId: Nullable(Type.Integer()),
  period: Type.Object({ from: Type.String(), to: Type.String(), text: Type.String() }),
  data: Type.Object({ from: Month, to: Month, source: Type.String() }),
  method: Type.Object({
    estimator: Type.String(),
    matching: Type.String(),
    uncertainty: Type.String(),
    limits: Type.Object({
      rateWidth: Type.Number({ description: '比率区间宽于此即“样本太少” / wider than this: too few appeals' }),
      volumeWidthShare: Type.Number(),
    }),
    draws: Type.Integer(),
    seed: Type.Integer(),
    k: Type.Integer(),
    months: Type.Integer(),
    pool: Type.Union([Type.Literal('district'), Type.Literal('city')]),
  }),
  treated: Type.Array(
    Type.Composite([
      CommunitySchema,
      Type.Object({
        batchNumber: Type.Integer(),
        firstStart: Type.String(),
        cohort: Month,
        lastTreated: Nullable(Type.String()),
        matches: Type.Array(Type.Composite([CommunitySchema, Type.Object({ distance: Type.Number() })])),
      }),
    ]),
  ),
  excluded: Type.Array(Type.Composite([CommunitySchema, Type.Object({ reason: Type.String() })])),
  comparison: Type.Array(
    Type.Composite([CommunitySchema, Type.Object({ residents: Nullable(Type.Integer()), timesMatched: Type.Integer() })]),
  ),
  poolSize: Type.Integer({ description: '可作对照的未选派社区数 / untreated communities matched from' }),
  balance: Type.Array(
    Type.Object({ feature: Type.String(), label: Type.String(), treated: Num, matched: Num, pool: Num, smdMatched: Num, smdPool: Num }),
  ),
  outcomes: Type.Array(OutcomeSchema),
  placebo: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('untreated'), Type.Literal('dates')]),
      label: Type.String(),
      treated: Type.Integer(),
      controls: Type.Integer(),
      shift: Nullable(Type.Integer()),
      resolution: IntervalSchema,
      runs: Type.Integer({ description: '运行次数 / runs' }),
      quiet: Type.Integer({ description: '区间含 0 的次数 / runs whose interval covers 0' }),
      passed: Nullable(
        Type.Boolean({ description: '区间含 0 即“未发现效果”，符合预期 / the interval covers 0: nothing found, as it should' }),
      ),
      text: Type.String(),
    }),
  ),
  notes: Type.Array(Type.String()),
});
export type ImpactReport = Static<typeof ImpactReportSchema>;
