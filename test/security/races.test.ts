import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tables } from '../../src/db/tables.ts';
import { retryingDeadlocks } from '../../src/domains/programs/db-errors.ts';
import { AppError } from '../../src/errors.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, recordFengtai } from '../programs/world.ts';

/**
 * Issue 17, item 7: on PostgreSQL one in eight simultaneous duplicate postings to one community
 * answered `40P01 deadlock detected` as a 500. Each must end as a posting or a conflict.
 */
describe.each(backends)('simultaneous postings on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  beforeAll(async () => {
    fengtai = await recordFengtai(t.db.kysely);
  });

  it('posts one secretary of many racing for a community; the others are told of the conflict, never a deadlock', async () => {
    for (let round = 0; round < 3; round++) {
      const community = fengtai.communities[3 + round]!;
      const cadres = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          programs.createCadre(t.db.kysely, { name: `竞争者${round}-${i}`, unitId: fengtai.units.housing.id }, fengtaiOrg),
        ),
      );
      const results = await Promise.allSettled(
        cadres.flatMap((cadre) =>
          [0, 1].map(() =>
            programs.createPosting(t.db.kysely, { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: community }, fengtaiOrg),
          ),
        ),
      );
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      for (const failure of failures) {
        expect(failure, String(failure)).toBeInstanceOf(AppError);
        expect((failure as AppError).kind).toBe('conflict');
      }
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    }
  });

  // PGlite runs one transaction at a time and cannot deadlock; PostgreSQL picks a victim.
  it.skipIf(backend === 'pglite')('runs a deadlock’s victim again, so that it succeeds', async () => {
    const [a, b] = await Promise.all(
      ['死锁甲', '死锁乙'].map((name) => programs.createCadre(t.db.kysely, { name, unitId: fengtai.units.housing.id }, fengtaiOrg)),
    );
    const touch = (trx: Transaction<Tables>, id: number) => sql`UPDATE cadre SET notes = notes WHERE id = ${id}`.execute(trx);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let attempts = 0;
    let bLocked: () => void = () => undefined;
    const bIsLocked = new Promise<void>((resolve) => (bLocked = resolve));
    // The victim waits first (for b), so its deadlock check fires first and it is the one aborted.
    const victim = retryingDeadlocks(() =>
      t.db.kysely.transaction().execute(async (trx) => {
        attempts++;
        await touch(trx, a!.id);
        if (attempts === 1) await bIsLocked;
        await touch(trx, b!.id);
      }),
    );
    const other = t.db.kysely.transaction().execute(async (trx) => {
      await touch(trx, b!.id);
      bLocked();
      await pause(300);
      await touch(trx, a!.id);
    });
    await Promise.all([victim, other]);
    expect(attempts).toBe(2);
  });
});
