import path from 'node:path';

/** Everything the process reads from its environment, read once here and nowhere else. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Mark the session cookie Secure: set when users reach the server over HTTPS (SECURE_COOKIES=1). */
  secureCookies: boolean;
  /**
   * Behind a reverse proxy that terminates TLS: trust its X-Forwarded-For / -Proto, so that login
   * throttling counts the users' addresses, not the proxy's. `true` (trust any) or the proxies'
   * addresses and CIDRs, comma-separated (TRUST_PROXY=10.0.0.1,10.0.0.0/8).
   */
  trustProxy: boolean | string;
}

const flag = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

function parseTrustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value.trim() === '' || /^(0|false|no|off)$/i.test(value.trim())) return false;
  return flag(value) ? true : value.trim();
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT 必须是 0–65535 的整数 / PORT must be an integer 0–65535, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: flag(env.SECURE_COOKIES),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}
