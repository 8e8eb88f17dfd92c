import { Type, type Static } from '@sinclair/typebox';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { rulesParser } from '../../shared/rules.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/** The projects' rules, as a district sets them; a project may override the consultation rule. */
export const ProjectConfigSchema = Type.Object(
  {
    /** A project is approved only after at least one resident consultation (Beijing's practice). */
    requireConsultationForApproval: Type.Boolean(),
    /** Outputs above either bound are typing mistakes, not results: 7910 parking spaces for 791. */
    outputBounds: Type.Object(
      {
        maxTimesTarget: Type.Number({ minimum: 1, maximum: 1000 }),
        maxAchieved: Type.Number({ minimum: 1, maximum: 1_000_000 }),
      },
      { additionalProperties: false },
    ),
    /** Months compared before a project started and after it was completed. */
    beforeAfterMonths: Type.Integer({ minimum: 1, maximum: 36 }),
  },
  { additionalProperties: false },
);
export type ProjectConfig = Static<typeof ProjectConfigSchema>;

export const defaultProjectConfig: ProjectConfig = {
  requireConsultationForApproval: true,
  outputBounds: { maxTimesTarget: 10, maxAchieved: 1_000_000 },
  beforeAfterMonths: 12,
};

export const parseProjectConfig: (value: unknown) => ProjectConfig = rulesParser(
  ProjectConfigSchema,
  '项目规则有误',
  'Invalid project rules',
);

export async function getProjectConfig(db: Db): Promise<ProjectConfig> {
  const row = await db.selectFrom('project_config').select('config').where('id', '=', 1).executeTakeFirst();
  // A stored config from an older version lacks newer keys: the defaults fill them.
  return row === undefined ? defaultProjectConfig : parseProjectConfig({ ...defaultProjectConfig, ...(row.config as object) });
}

export async function updateProjectConfig(db: Kysely<Tables>, input: unknown, viewer: Viewer): Promise<ProjectConfig> {
  const config = parseProjectConfig(input);
  const text = JSON.stringify(config);
  await db.transaction().execute(async (trx) => {
    const before = await getProjectConfig(trx);
    await trx
      .insertInto('project_config')
      .values({ id: 1, config: text, updated_by: viewer.actor })
      .onConflict((oc) => oc.column('id').doUpdateSet({ config: text, updated_by: viewer.actor, updated_at: sql<Date>`now()` }))
      .execute();
    await auditBy(trx, viewer, 'project_config.update', 'project_config', '1', { from: before, to: config });
  });
  return config;
}
