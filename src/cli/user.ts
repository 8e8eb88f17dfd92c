import type { Config } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { createUser } from '../domains/accounts/service.ts';
import { systemViewer } from '../domains/accounts/viewer.ts';

export interface UserAddOptions {
  login: string;
  role: string;
  scope: string;
  name?: string;
  unit?: string;
}

export async function userAddCommand(config: Config, options: UserAddOptions): Promise<void> {
  const db = await openConfiguredDatabase(config);
  try {
    await migrate(db);
    const { user, password } = await createUser(
      db.kysely,
      { login: options.login, role: options.role, scope: options.scope, displayName: options.name, unitName: options.unit },
      { ...systemViewer, actor: 'cli' },
    );
    console.log(`已创建用户 / created user ${user.login} (${user.role}, ${user.scopeName} ${user.scopeCode})`);
    console.log(`一次性密码（只显示这一次）/ one-time password (shown only now): ${password}`);
  } finally {
    await db.close();
  }
}
