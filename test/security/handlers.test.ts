import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { authenticateApiToken, authenticateSession, createApiToken, createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { requireOwnUnit } from '../../src/domains/appeals/policy.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/** Issue 17, item 11: a department handler could respond to and return another unit's appeal. */
describe('department handlers act only on what was dispatched to their unit', () => {
  const handler = { role: 'department_handler' as const, unitName: '丰台区城市管理委员会' };

  it('lets a handler respond to, handle and return its own unit’s appeals only', () => {
    for (const step of ['respond', 'handle', 'return'] as const) {
      expect(() => requireOwnUnit(handler, { name: '丰台区城市管理委员会 ' }, step)).not.toThrow();
      expect(() => requireOwnUnit(handler, { name: '丰台区住房和城乡建设委员会' }, step)).toThrow(/只能办理派给本单位的诉求/);
      expect(() => requireOwnUnit(handler, null, step)).toThrow(/own unit/);
      expect(() => requireOwnUnit({ role: 'department_handler', unitName: null }, { name: '丰台区城市管理委员会' }, step)).toThrow(
        /own unit/,
      );
    }
  });

  it('leaves streets, communities and the hotline to their scope and role', () => {
    expect(() => requireOwnUnit({ role: 'street_office', unitName: null }, { name: '别的单位' }, 'respond')).not.toThrow();
    expect(() => requireOwnUnit({ role: 'hotline_office' }, null, 'dispatch')).not.toThrow();
  });
});

describe.each(backends)('the viewer carries the user’s unit on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('from a session and from an API token', async () => {
    const { user } = await createUser(
      t.db.kysely,
      {
        login: 'cgw-handler',
        role: 'department_handler',
        scope: '110106',
        unitName: '丰台区城市管理委员会',
        password: 'a fine long passphrase',
      },
      systemViewer,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'cgw-handler', password: 'a fine long passphrase' },
    });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'ma_session')!.value;
    expect((await authenticateSession(t.db.kysely, session))?.viewer).toMatchObject({
      role: 'department_handler',
      unitName: '丰台区城市管理委员会',
    });
    const { token } = await createApiToken(t.db.kysely, user.id, 'push', systemViewer);
    expect((await authenticateApiToken(t.db.kysely, token))?.viewer).toMatchObject({
      role: 'department_handler',
      unitName: '丰台区城市管理委员会',
    });
  });
});
