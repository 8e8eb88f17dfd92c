import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { PREPARED_LIMIT, preparedName } from './prepared.ts';
import type { Tables } from './tables.ts';

export type Backend = 'pglite' | 'postgres';

/**
 * One open database, whichever backend holds it. Domain code only sees `kysely`;
 * the backend-specific parts (multi-statement scripts, later COPY) live here.
 */
export interface Database {
  backend: Backend;
  kysely: Kysely<Tables>;
  /** Runs a multi-statement SQL script (migrations). Rolls back an open transaction on failure. */
  execScript(script: string): Promise<void>;
  /** PGlite only: the whole data directory as a tar, to start other instances from. */
  dumpDataDir?(): Promise<Blob>;
  /**
   * Runs `work` on one connection of its own, where COPY is possible: a transaction begun on
   * `connection.kysely` and the COPYs sent through `copyIn` are the same session. Use
   * `copyInto` (src/db/copy.ts) rather than `copyIn` directly.
   */
  withConnection<T>(work: (connection: CopyConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type PoolClientOfKysely = Awaited<ReturnType<PostgresPool['connect']>>;

export interface CopyConnection {
  kysely: Kysely<Tables>;
  /** Sends `COPY … FROM STDIN` (`statement` without the source) fed by `data`; returns the rows copied. */
  copyIn(statement: string, data: AsyncIterable<Uint8Array>): Promise<number>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Both drivers must hand back the same JS values: counts and bigints as numbers, money (numeric
// yuan) as numbers, and dates as 'YYYY-MM-DD' strings so that a duty day never shifts by a
// time zone.
const toNumber = (value: string): number => Number(value);
const keepText = (value: string): string => value;

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted means an in-memory database. */
  dataDir?: string | undefined;
  /** A PGlite data directory dump (tar) to start from, used by tests. */
  loadDataDir?: Blob | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options);
}

/**
 * An embedded database keeps no standby and no archive, so it needs only the WAL that crash
 * recovery needs (wal_level = minimal): then a table's new files, as a first bulk load makes them
 * (TRUNCATE), are filled without writing every row to the WAL as well. At 2 % of Beijing's volume
 * that was 2.2 GB of WAL, and about a sixth of the demo's load time. The setting takes a restart:
 * a data directory gets it once, the first time it is opened.
 */
async function withMinimalWal(pglite: PGlite, reopen: () => Promise<PGlite>): Promise<PGlite> {
  const level = await pglite.query<{ wal_level: string }>('SHOW wal_level');
  if (level.rows[0]?.wal_level === 'minimal') return pglite;
  // One statement per call: a multi-statement string runs as a transaction block, which ALTER SYSTEM refuses.
  await pglite.exec(`ALTER SYSTEM SET wal_level = 'minimal'`);
  await pglite.exec('ALTER SYSTEM SET max_wal_senders = 0');
  await pglite.close();
  return reopen();
}

export async function openPglite(options: OpenOptions = {}): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const create = () =>
    PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { btree_gist, pg_trgm },
      parsers: {
        [pgliteTypes.INT8]: toNumber,
        [pgliteTypes.NUMERIC]: toNumber,
        [pgliteTypes.DATE]: keepText,
      },
    });
  // In memory, a restart would lose everything: there the WAL stays as it is.
  const pglite = options.dataDir ? await withMinimalWal(await create(), create) : await create();
  const kysely = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
  return {
    backend: 'pglite',
    kysely,
    async execScript(script) {
      try {
        await pglite.exec(script);
      } catch (error) {
        await pglite.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
    // PGlite is one session: Kysely's queries and a COPY sent straight to PGlite share it, so a
    // transaction begun through Kysely holds the COPY too. PGlite reads COPY data from a Blob
    // named /dev/blob, so the data is gathered first: callers send it in bounded chunks.
    withConnection: (work) =>
      work({
        kysely,
        async copyIn(statement, data) {
          const parts: Uint8Array[] = [];
          for await (const part of data) parts.push(part);
          const result = await pglite.query(`${statement} FROM '/dev/blob'`, [], { blob: new Blob(parts as BlobPart[]) });
          return result.affectedRows ?? 0;
        },
      }),
    async close() {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function openPostgres(databaseUrl: string): Promise<Database> {
  const typeParsers: Record<number, (value: string) => unknown> = {
    [INT8]: toNumber,
    [NUMERIC]: toNumber,
    [DATE]: keepText,
  };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    types: {
      // pg's own type table for everything we do not override.
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('connect', prepareMarked);
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    backend: 'postgres',
    kysely,
    async withConnection(work) {
      const client = await pool.connect();
      try {
        // A Kysely of its own over this one client, so that its transaction and pg-copy-streams'
        // COPY run in the same session. Never destroyed: its "pool" is the borrowed client.
        const pinned: PostgresPool = {
          // Kysely releases after each query; the client goes back to the pool only when work ends.
          connect: async () => ({ query: client.query.bind(client), release: () => undefined }) as unknown as PoolClientOfKysely,
          end: async () => undefined,
        };
        const session = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: pinned }) });
        return await work({
          kysely: session,
          async copyIn(statement, data) {
            const stream = client.query(copyFromStream(`${statement} FROM STDIN`));
            await pipeline(Readable.from(data), stream);
            return stream.rowCount;
          },
        });
      } finally {
        client.release();
      }
    },
    async execScript(script) {
      const client = await pool.connect();
      try {
        await client.query(script);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * Statements marked by `prepared` (src/db/prepared.ts) go to PostgreSQL as named ones, so each
 * connection parses them once. pg's `query` has many overloads; only the (text, values) call that
 * Kysely makes is renamed, every other call passes through as it came.
 */
function prepareMarked(client: pg.PoolClient): void {
  const named = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) ? preparedName(text) : undefined;
    if (name === undefined || (!named.has(name) && named.size >= PREPARED_LIMIT)) return query(...args);
    named.add(name);
    return query({ name, text, values });
  };
}
