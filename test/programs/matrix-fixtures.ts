import type { Database } from '../../src/db/connection.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';

export interface ProgramFixture {
  unitId: number;
  programId: number;
  batchId: number;
  cadreId: number;
  /** Another cadre of the same unit, to name as a successor. */
  otherCadreId: number;
  postingId: number;
  apprenticeshipId: number;
}

/**
 * One program, batch, cadre, posting and apprenticeship in the district of each of the
 * permission matrix's two communities, so that every programs route has something inside and
 * something outside the matrix users' scope to be asked about. The matrix's secretary is the
 * cadre posted inside: their own posting.
 */
export async function seedProgramsForMatrix(db: Database, communities: { inside: string; outside: string }, secretaryUserId: number) {
  const byCommunity = new Map<string, ProgramFixture>();
  for (const community of [communities.inside, communities.outside]) {
    const district = community.slice(0, 6);
    const unit = await createUnit(
      db.kysely,
      { name: `矩阵单位 ${district}`, type: 'party_government_agency', districtCode: district },
      systemViewer,
    );
    const program = await programs.createProgram(
      db.kysely,
      { kind: 'first_secretary', name: `矩阵项目 ${district}`, districtCode: district },
      systemViewer,
    );
    const batch = await programs.createBatch(db.kysely, program.id, { startDate: '2022-05-01' }, systemViewer);
    await programs.addBatchCommunities(db.kysely, batch.id, { communities: [{ communityCode: community }] }, systemViewer);
    const cadre = await programs.createCadre(
      db.kysely,
      { name: `矩阵干部 ${district}`, unitId: unit.id, phone: '13800000000' },
      systemViewer,
    );
    const other = await programs.createCadre(db.kysely, { name: `矩阵接任 ${district}`, unitId: unit.id }, systemViewer);
    const posting = await programs.createPosting(
      db.kysely,
      { batchId: batch.id, cadreId: cadre.id, communityCode: community },
      systemViewer,
    );
    const apprenticeship = await programs.createApprenticeship(
      db.kysely,
      { postingId: posting.id, apprenticeName: '矩阵徒弟', startDate: '2022-06-01' },
      systemViewer,
    );
    byCommunity.set(community, {
      unitId: unit.id,
      programId: program.id,
      batchId: batch.id,
      cadreId: cadre.id,
      otherCadreId: other.id,
      postingId: posting.id,
      apprenticeshipId: apprenticeship.id,
    });
  }
  await programs.linkCadreUser(db.kysely, byCommunity.get(communities.inside)!.cadreId, secretaryUserId, systemViewer);
  return (community: string): ProgramFixture => {
    const fixture = byCommunity.get(community);
    if (!fixture) throw new Error(`no programs fixture for ${community}`);
    return fixture;
  };
}
