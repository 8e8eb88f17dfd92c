import { Type, type Static } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { rulesParser } from '../../shared/rules.ts';
import { MAX_START_DAY } from './assessment.ts';
import { loadConfig } from './queries.ts';
import { rates, type Rate, type RateKinds } from './rates.ts';

export type { Rate, RateKinds } from './rates.ts';

const Weight = Type.Number({ minimum: 0, maximum: 1 });
const RateList = Type.Array(Type.Union(rates.map((r) => Type.Literal(r))), { uniqueItems: true });

/** The evaluation's rules, as a district's assessment office sets them. */
export const EvaluationConfigSchema = Type.Object(
  {
    /** Satisfaction rate = (satisfied + factor × basically satisfied) / valid callbacks. */
    basicallySatisfiedFactor: Type.Number({ minimum: 0, maximum: 1 }),
    /** The composite score's weights; they need not add up to 1 (the score divides by their sum). */
    weights: Type.Object({ response: Weight, resolution: Weight, satisfaction: Weight }),
    /** Which rates an appeal of each kind is evaluated on; a kind missing here counts for none. */
    ratesByKind: Type.Record(Type.String(), RateList),
    /** Rankings leave out a place with fewer valid callbacks than this, and say so. */
    minValidCallbacks: Type.Integer({ minimum: 0 }),
    /** "The city's top 100 demands": how many communities each period's key list holds. */
    keyCommunityTopN: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** How many past periods the key list looks back over. */
    keyCommunityLookback: Type.Integer({ minimum: 1, maximum: 60 }),
    /**
     * The day of the month an assessment period starts on: 1 (the default) for calendar months;
     * 21 for "the 21st of last month to the 20th of this one". Rules saved before it existed lack it.
     */
    periodStartDay: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_START_DAY })),
  },
  { additionalProperties: false },
);
export type EvaluationConfig = Static<typeof EvaluationConfigSchema>;

/**
 * Beijing's defaults as public district-level report code computes them: every kind is evaluated
 * on response; consultations, suggestions and praise are not evaluated on resolution; praise is
 * not evaluated on satisfaction. The weights follow the common 1 : 4.5 : 4.5 split.
 */
export const defaultEvaluationConfig: EvaluationConfig = {
  basicallySatisfiedFactor: 0.9,
  weights: { response: 0.1, resolution: 0.45, satisfaction: 0.45 },
  ratesByKind: {
    complaint: ['response', 'resolution', 'satisfaction'],
    help: ['response', 'resolution', 'satisfaction'],
    report: ['response', 'resolution', 'satisfaction'],
    consultation: ['response', 'satisfaction'],
    suggestion: ['response', 'satisfaction'],
    praise: ['response'],
  },
  minValidCallbacks: 5,
  keyCommunityTopN: 100,
  keyCommunityLookback: 12,
  periodStartDay: 1,
};

/** The day assessment periods start on under these rules. */
export const periodStartDayOf = (config: EvaluationConfig): number => config.periodStartDay ?? 1;

export const parseEvaluationConfig: (value: unknown) => EvaluationConfig = rulesParser(
  EvaluationConfigSchema,
  '评价规则有误',
  'Invalid evaluation rules',
);

/** The rules in force: the saved ones, or the defaults. */
export async function currentRules(db: Kysely<Tables> | Transaction<Tables>): Promise<EvaluationConfig> {
  const stored = await loadConfig(db);
  return stored === undefined ? defaultEvaluationConfig : parseEvaluationConfig(stored);
}

export function rateKinds(config: EvaluationConfig): RateKinds {
  const kindsFor = (rate: Rate) =>
    Object.entries(config.ratesByKind)
      .filter(([, given]) => given.includes(rate))
      .map(([kind]) => kind);
  return { response: kindsFor('response'), resolution: kindsFor('resolution'), satisfaction: kindsFor('satisfaction') };
}
