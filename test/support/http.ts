import type { FastifyInstance, InjectOptions } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/db/connection.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer, type Role } from '../../src/domains/accounts/viewer.ts';

export interface Agent {
  login: string;
  userId: number;
  csrf: string;
  cookie: string;
  /** app.inject with this user's session cookie and CSRF header. */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>;
}

let counter = 0;

/** Creates a user of this role and scope and logs them in through the real login route. */
export async function loginAs(app: FastifyInstance, db: Database, role: Role, scope: string): Promise<Agent> {
  const login = `${role}-${scope}-${++counter}-${process.pid}`.replace(/_/g, '-');
  const password = 'correct horse battery staple';
  const { user } = await createUser(db.kysely, { login, role, scope, password }, systemViewer);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = res.json().csrfToken as string;
  return {
    login,
    userId: user.id,
    csrf,
    cookie,
    inject(options) {
      const opts: InjectOptions = typeof options === 'string' ? { url: options } : options;
      return app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
    },
  };
}
