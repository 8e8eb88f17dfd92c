import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { createUser } from '../domains/accounts/service.ts';
import type { Role, Viewer } from '../domains/accounts/viewer.ts';
import { linkCadreUser } from '../domains/programs/service.ts';
import { FENGTAI, JINGTIE, SHIJINGSHAN } from './facts.ts';

export interface DemoLogin {
  login: string;
  password: string;
  role: Role;
  scope: string;
  displayName: string;
  /** What this login is for, in the README's tour. */
  purpose: string;
}

const people: Array<Omit<DemoLogin, 'password'> & { unitName?: string }> = [
  {
    login: 'ft-zuzhibu',
    role: 'org_department',
    scope: FENGTAI,
    displayName: '丰台区委组织部',
    purpose: '治理书记项目、批次、选派 / programs, batches, postings',
  },
  {
    login: 'sjs-zuzhibu',
    role: 'org_department',
    scope: SHIJINGSHAN,
    displayName: '石景山区委组织部',
    purpose: '第一书记项目 / first-secretary program',
  },
  {
    login: 'ft-jiesu',
    role: 'hotline_office',
    scope: FENGTAI,
    displayName: '丰台区接诉即办办公室',
    purpose: '诉求派单、三率、排名 / dispatch, rates, rankings',
  },
  {
    login: 'llq-jiedao',
    role: 'street_office',
    scope: '110106008',
    displayName: '六里桥街道',
    purpose: '办理本街道诉求 / handle the street’s appeals',
  },
  {
    login: 'jtjy-shequ',
    role: 'community_committee',
    scope: JINGTIE,
    displayName: '京铁家园社区居委会',
    purpose: '社区诉求与档案 / the community’s appeals and profile',
  },
  {
    login: 'tian-huilin',
    role: 'secretary',
    scope: JINGTIE,
    displayName: '田慧林',
    purpose: '治理书记：在岗登记、攻坚项目 / duty days, projects',
  },
  {
    login: 'ft-zhujianwei',
    role: 'department_handler',
    scope: FENGTAI,
    displayName: '丰台区住建委',
    purpose: '部门办理 / department handler',
    unitName: '丰台区住房和城乡建设委员会',
  },
  { login: 'leader', role: 'viewer', scope: '11', displayName: '市级领导（只读）', purpose: '全市看板 / city dashboards, read-only' },
];

/** One login per role, with random passwords returned once for the caller to print and keep. */
export async function createDemoUsers(db: Kysely<Tables>, tianHuilinCadreId: number, viewer: Viewer): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = [];
  for (const person of people) {
    const { user, password } = await createUser(
      db,
      {
        login: person.login,
        role: person.role,
        scope: person.scope,
        displayName: person.displayName,
        unitName: person.unitName,
      },
      viewer,
    );
    if (person.login === 'tian-huilin') await linkCadreUser(db, tianHuilinCadreId, user.id, viewer);
    logins.push({
      login: person.login,
      password,
      role: person.role,
      scope: person.scope,
      displayName: person.displayName,
      purpose: person.purpose,
    });
  }
  return logins;
}
