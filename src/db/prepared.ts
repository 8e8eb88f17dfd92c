import { createHash } from 'node:crypto';
import { type Compilable, type CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';

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

/** Stands for a read's argument while the read is built once: see `preparedRead`. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A read every request makes (its API token or session, the appeal it names, that appeal's
 * events, its deadline rules), built with Kysely's builder once per database and then only given
 * its arguments: building and compiling such a query cost the server about as much CPU as
 * sending it (bench/intake.ts). Its text is marked as `prepared`'s is.
 *
 * `build` may use its arguments only as values in the query, never in its text, a length or a
 * branch: it is called once with stand-ins for them, and a stand-in missing from the compiled
 * parameters fails then. A Kysely with plugins (a test's statement recorder) builds the query
 * anew on every call with the real arguments, as a plugin may change it.
 */
export function preparedRead<DB, Args extends unknown[], O>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<O>,
): (db: Kysely<DB>, ...args: Args) => Promise<O[]> {
  const built = new WeakMap<Kysely<DB>, CompiledQuery<O>>();
  return async (db, ...args) => {
    if (db.getExecutor().plugins.length > 0) return rowsOf(db, marked(build(db, ...args).compile()));
    let query = built.get(db);
    if (!query) {
      // The stand-ins are typed as the arguments they stand for; build only passes them on as values.
      query = marked(build(db, ...(args.map((_, i) => new Slot(i)) as Args)).compile());
      const given = new Set(query.parameters.filter((p) => p instanceof Slot).map((p) => (p as Slot).index));
      const unused = args.findIndex((_, i) => !given.has(i));
      if (unused >= 0) throw new Error(`preparedRead: argument ${unused} is not a value of the query`);
      built.set(db, query);
    }
    return rowsOf(db, { ...query, parameters: query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p)) });
  };
}

function marked<O>(compiled: CompiledQuery<O>): CompiledQuery<O> {
  return { ...compiled, sql: `${MARK} ${compiled.sql}` };
}

async function rowsOf<DB, O>(db: Kysely<DB>, query: CompiledQuery<O>): Promise<O[]> {
  return (await db.executeQuery<O>(query)).rows;
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
