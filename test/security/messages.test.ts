import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, recordFengtai, recordShijingshan, shijingshanOrg } from '../programs/world.ts';

/** Issue 17, item 13: refusals named another district's cadre or program to a caller who may not read them. */
describe.each(backends)('refusals name nothing the caller may not read on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  beforeAll(async () => {
    fengtai = await recordFengtai(t.db.kysely);
    shijingshan = await recordShijingshan(t.db.kysely);
  });

  const refusal = async (work: () => Promise<unknown>): Promise<AppError> => {
    const error = await work().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('posting another district’s cadre is a cadre that does not exist, not a reason naming them and their unit', async () => {
    const cadre = await programs.createCadre(t.db.kysely, { name: '石景山干部戊', unitId: shijingshan.datang.id }, shijingshanOrg);
    const error = await refusal(() =>
      programs.createPosting(
        t.db.kysely,
        { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: fengtai.communities[5]! },
        fengtaiOrg,
      ),
    );
    expect(error.kind).toBe('not_found');
    expect(error.message).not.toContain('石景山干部戊');
    expect(error.message).not.toContain('大唐');
  });

  it('reading another district’s program or cadre says “outside your scope” by id, never by name', async () => {
    const program = await refusal(() => programs.getProgram(t.db.kysely, shijingshan.program.id, fengtaiOrg));
    expect(program.message).not.toContain('石景山区第一书记');
    expect(program.message).toContain(String(shijingshan.program.id));
    const cadre = await refusal(() => programs.getCadre(t.db.kysely, shijingshan.liKunming.id, fengtaiOrg));
    expect(cadre.message).not.toContain('李昆明');
  });
});
