import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';
import { MAX_MONTHS_PER_REQUEST } from '../evaluation/periods.ts';
import { ProgramKindSchema } from './schemas.ts';

const Month = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}$', format: 'month', description, examples: ['2023-12'] });
const Day = (description: string) => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });

export const DistrictDashboardQuery = Type.Object({
  district: Type.Optional(
    Type.String({
      pattern: '^\\d{6}(\\d{6})?$',
      description:
        '区代码（6 位或 12 位），默认为本人所在区或范围内第一个有书记项目的区 / district code (6 or 12 digits); by default the viewer’s district, or the first one in scope with a program',
      examples: ['110106'],
    }),
  ),
  month: Type.Optional(
    Month('统计截至的考核期，默认为最近一个已结束的考核期 / the assessment period the figures are for; the latest complete one by default'),
  ),
  from: Type.Optional(
    Month(
      `解决率趋势的起始月份，至多 ${MAX_MONTHS_PER_REQUEST} 个月 / first month of the resolution-rate trend, at most ${MAX_MONTHS_PER_REQUEST} months`,
    ),
  ),
});
export type DistrictDashboardInput = Static<typeof DistrictDashboardQuery>;

export const DashboardMarkSchema = Type.Object({
  kind: Type.Union([Type.Literal('batch_start'), Type.Literal('succession')], { description: 'batch_start 批次开始 | succession 接任' }),
  date: Day('日期 / date'),
  /** The assessment period the day falls in: where the mark sits on the trend. */
  month: Type.String({ description: '所在考核期 / the period the day falls in' }),
  programId: Type.Integer(),
  programName: Type.String(),
  batchNumber: Type.Integer(),
  /** A batch start: how many communities the batch covers. */
  communities: Nullable(Type.Integer()),
  /** A succession: where, who took over, from whom. */
  communityCode: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
  cadreName: Nullable(Type.String()),
  predecessorName: Nullable(Type.String()),
});
export type DashboardMark = Static<typeof DashboardMarkSchema>;

export const DistrictDashboardSchema = Type.Object({
  district: Type.Object({ code: Type.String(), name: Type.String() }),
  /** The districts the viewer may pick, with how many programs each runs. */
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), programs: Type.Integer() })),
  asOf: Type.Object({
    month: Type.String({ description: '考核期 / the assessment period' }),
    date: Day('统计日：考核期最后一天（未结束的考核期为今天）/ the day counted: the period’s last day (today for a period under way)'),
    periodStart: Day('考核期第一天 / the period’s first day'),
    periodEnd: Day('考核期最后一天 / the period’s last day'),
    latestComplete: Nullable(Type.String({ description: '最近一个已结束、有诉求的考核期 / the latest complete period with appeals' })),
    inProgress: Nullable(Type.String({ description: '正在进行、已有诉求的考核期 / the period under way, when it has appeals' })),
  }),
  postingsActive: Type.Integer({ description: '统计日在岗的选派 / postings on duty on the day' }),
  communitiesCovered: Type.Integer({
    description: '统计日有书记在岗的社区（多个项目选派到同一社区只计一次）/ communities with a secretary on duty that day, each once',
  }),
  programs: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      kind: ProgramKindSchema,
      postingsActive: Type.Integer(),
      communitiesCovered: Type.Integer(),
    }),
  ),
  trend: Type.Object({
    from: Type.String(),
    to: Type.String(),
    maxMonths: Type.Integer(),
    months: Type.Array(
      Type.Object({
        month: Type.String(),
        volume: Type.Integer(),
        resolutionValid: Type.Integer(),
        solved: Type.Integer(),
        resolutionRate: Nullable(Type.Number()),
      }),
    ),
  }),
  marks: Type.Array(DashboardMarkSchema),
  /** Successions in the range beyond the ones listed (at most 200 are). */
  successionsLeftOut: Type.Integer(),
});
export type DistrictDashboard = Static<typeof DistrictDashboardSchema>;
