import fs from 'node:fs';
import path from 'node:path';

export interface Credential {
  login: string;
  password: string;
  role: string;
  scope: string;
}

export const credentialsFile = (dataDir: string) => path.join(dataDir, 'demo-credentials.json');

/**
 * Passwords generated on first start are printed once and kept here, readable by the owner only
 * (mode 0600), so a newcomer can find them again and the browser tests can log in.
 */
export function rememberCredentials(dataDir: string, entries: Credential[]): string {
  const file = credentialsFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  let existing: Credential[] = [];
  try {
    existing = (JSON.parse(fs.readFileSync(file, 'utf8')) as { users: Credential[] }).users;
  } catch {
    existing = [];
  }
  const byLogin = new Map(existing.map((c) => [c.login, c]));
  for (const entry of entries) byLogin.set(entry.login, entry);
  fs.writeFileSync(file, JSON.stringify({ users: [...byLogin.values()] }, null, 2), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
