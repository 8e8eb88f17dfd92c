import { createHash } from 'node:crypto';
import { type Compilable, type CompiledQuery, type QueryResult, type RawBuilder, sql } from 'kysely';

/**
 * The statements a server sends many times a second (filing an appeal, a lifecycle step) are
 * prepared once per connection on PostgreSQL: then the server neither parses a 7 kB statement nor
 * plans it again on every call, and the driver sends only its parameters. At a million stored
 * appeals and 50 clients this halved PostgreSQL's CPU per filing (bench/intake.ts, BENCHMARKS.md).
 *
 * A statement asks for it by starting with this comment; the PostgreSQL connection names it after
 * a hash of its text. So its text must not vary with the input (an array goes as one parameter,
 * never one per element), or each call would leave another prepared statement behind: the
 * connection stops preparing new ones past `PREPARED_LIMIT`. PGlite reads the comment as a comment.
 */
const MARK = '/* prepared */';

export const PREPARED_LIMIT = 64;

export function prepared<T>(statement: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(MARK)} ${statement}`;
}

/**
 * Runs a query built with Kysely's builder as a marked statement: for the reads every request
 * makes (its API token, the appeal it names, that appeal's events). Its text must be the same
 * for every input, as for `prepared`.
 */
export async function preparedRows<O>(
  db: { executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> },
  query: Compilable<O>,
): Promise<O[]> {
  const compiled = query.compile();
  return (await db.executeQuery<O>({ ...compiled, sql: `${MARK} ${compiled.sql}` })).rows;
}

/** The name a marked statement is prepared under, or undefined for any other statement. */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined;
  let name = names.get(text);
  if (name === undefined) {
    name = `ma_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // Bounded like the statements themselves: a text that varies would otherwise fill it.
    if (names.size < NAMES_KEPT) names.set(text, name);
  }
  return name;
}

/** The names of the texts seen, so that a hot statement's 7 kB are not hashed on every call. */
const names = new Map<string, string>();
const NAMES_KEPT = 4 * PREPARED_LIMIT;
