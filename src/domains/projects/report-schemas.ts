import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';
import { DateString } from '../../shared/dates.ts';
import { ProjectStatusSchema } from './schemas.ts';

const Rate = Nullable(Type.Number({ description: '0–1' }));

/** The language the report is written in: its title, labels and rule; names of places and people stay as recorded. */
export const ReportLangSchema = Type.Union([Type.Literal('zh'), Type.Literal('en')], {
  description: '报告语言，默认中文 / the report’s language, Chinese by default',
});
export type ReportLang = Static<typeof ReportLangSchema>;

export const ReportQuery = Type.Object({
  batch: Type.Optional(Type.Integer({ minimum: 1, description: '只看某一批次的 id / one batch only (its id)' })),
  from: Type.Optional(DateString('统计起 / period from; omitted: the batch or program start')),
  to: Type.Optional(DateString('统计止 / period to; omitted: today')),
  months: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 36, description: '选派前后各比较几个月，默认 12 / months before and after a posting' }),
  ),
  lang: Type.Optional(ReportLangSchema),
});
export type ReportInput = Static<typeof ReportQuery>;

const Resolution = Type.Object({
  resolutionValid: Type.Integer({ description: '参与解决率的有效回访 / valid callbacks on resolution' }),
  solved: Type.Integer(),
  resolutionRate: Rate,
});
const Window = Type.Composite([Type.Object({ from: Type.String(), to: Type.String() }), Resolution]);

export const CommunityChangeSchema = Type.Object({
  communityCode: Type.String(),
  communityName: Type.String(),
  streetName: Type.String(),
  firstPostingStart: Type.String(),
  before: Window,
  after: Type.Composite([Window, Type.Object({ monthsElapsed: Type.Integer() })]),
  changePoints: Nullable(Type.Number({ description: '后 − 前（比例差，×100 为百分点）/ after − before, as a fraction' })),
  changePercent: Nullable(Type.Number({ description: '(后 − 前) / 前 / relative change' })),
});
export type CommunityChange = Static<typeof CommunityChangeSchema>;

export const AchievementReportSchema = Type.Object({
  lang: ReportLangSchema,
  title: Type.String(),
  programId: Type.Integer(),
  programName: Type.String(),
  districtName: Type.String(),
  batchId: Nullable(Type.Integer()),
  batchNumber: Nullable(Type.Integer()),
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object({
    projects: Type.Integer({ description: '书记牵头过的项目 / projects a posting of the program has led' }),
    fundsSecured: Type.Number({ description: '争取资金（元）/ funds secured, yuan' }),
    fundEntries: Type.Integer(),
    problemsSolved: Type.Integer(),
    historicalProblemsSolved: Type.Integer(),
    appealsAssisted: Type.Integer({ description: '协助解决诉求（去重）/ appeals assisted, each once' }),
    appealsLinked: Type.Integer(),
    appealsActedOn: Type.Integer(),
    householdsBenefited: Type.Integer(),
  }),
  byCategory: Type.Array(
    Type.Object({
      category: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      completedProjects: Type.Integer(),
      completedOutputs: Type.Integer(),
      problemsSolved: Type.Integer(),
      historicalProblemsSolved: Type.Integer(),
    }),
  ),
  outputs: Type.Array(
    Type.Object({
      kind: Type.String(),
      label: Type.String(),
      unitLabel: Type.String(),
      outputs: Type.Integer(),
      done: Type.Integer(),
      target: Type.Number(),
      achieved: Type.Number(),
    }),
  ),
  apprentices: Type.Array(
    Type.Object({
      apprenticeName: Type.String(),
      apprenticePosition: Nullable(Type.String()),
      secretaryName: Type.String(),
      communityName: Type.String(),
      startDate: Type.String(),
      status: Type.String(),
    }),
    { description: '书记带的徒弟（期间内已开始的）/ the secretaries’ apprentices begun by the end of the period' },
  ),
  resolution: Type.Object({
    months: Type.Integer(),
    rule: Type.String(),
    communities: Type.Array(CommunityChangeSchema),
    overall: Type.Object({
      before: Resolution,
      after: Resolution,
      changePoints: Nullable(Type.Number()),
      changePercent: Nullable(Type.Number({ description: '如文中的“提升 28.76%” / as in the article’s “+28.76%”' })),
    }),
    complete: Type.Boolean({ description: '所有社区的“后”窗口都已过完 / every after window has passed' }),
  }),
  projects: Type.Array(
    Type.Object({
      id: Type.Integer(),
      communityName: Type.String(),
      title: Type.String(),
      categoryName: Type.String(),
      historical: Type.Boolean(),
      status: ProjectStatusSchema,
      statusLabel: Type.String(),
      leadCadreName: Nullable(Type.String()),
      progress: Rate,
      funds: Type.Number(),
      actualStartDate: Nullable(Type.String()),
      actualEndDate: Nullable(Type.String()),
      householdsBenefited: Nullable(Type.Integer()),
    }),
  ),
  projectsTruncated: Type.Boolean({ description: '项目清单只列前 1000 个 / the list stops at 1,000 projects' }),
});
export type AchievementReport = Static<typeof AchievementReportSchema>;
