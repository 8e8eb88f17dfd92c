import type { Database } from '../../src/db/connection.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as projects from '../../src/domains/projects/service.ts';
import type { ProgramFixture } from '../programs/matrix-fixtures.ts';

export interface ProjectFixture {
  projectId: number;
  milestoneId: number;
}

/**
 * One proposed project in each of the matrix's two communities, led by the programs fixture's
 * posting there, so that the matrix's secretary leads the one inside and not the one outside.
 */
export async function seedProjectsForMatrix(
  db: Database,
  communities: { inside: string; outside: string },
  programs: (community: string) => ProgramFixture,
) {
  const byCommunity = new Map<string, ProjectFixture>();
  for (const community of [communities.inside, communities.outside]) {
    const project = await projects.createProject(
      db.kysely,
      {
        communityCode: community,
        title: `矩阵项目 ${community}`,
        categoryCode: 'parking',
        origin: 'assignment',
        leadPostingId: programs(community).postingId,
      },
      systemViewer,
    );
    const milestone = await projects.addMilestone(db.kysely, project.id, { title: '矩阵里程碑' }, systemViewer);
    byCommunity.set(community, { projectId: project.id, milestoneId: milestone.id });
  }
  return (community: string): ProjectFixture => {
    const fixture = byCommunity.get(community);
    if (!fixture) throw new Error(`no projects fixture for ${community}`);
    return fixture;
  };
}
