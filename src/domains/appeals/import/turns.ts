import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { CopyConnection } from '../../../db/connection.ts';

/**
 * Gives the event loop a turn: requests still unread on their sockets are read, and those that
 * need no database (health, a static page) are answered. A setImmediate set during the poll phase
 * runs before the next poll, so one alone could let the next statement start before any new
 * request was read: the second, set from the check phase, runs only after a poll.
 */
export async function yieldToRequests(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * On PGlite a statement runs on the server's thread, and its promise settles in a microtask: a
 * transaction's statements run back to back without the event loop getting a single turn, so
 * every request (health included) waits for the whole transaction. This plugin gives the event
 * loop its turns after each statement of an import's step (`importInSteps`), so a request that
 * needs no database is answered within a statement; one that does still waits for the step to
 * commit (PGlite has one session), which is why the steps are small (STEP_CHUNK_ROWS).
 */
export const yieldAfterEachStatement: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await yieldToRequests();
    return args.result;
  },
};

/** The same for COPY, which goes to PGlite beside Kysely. */
export function yieldingConnection(connection: CopyConnection): CopyConnection {
  return {
    kysely: connection.kysely.withPlugin(yieldAfterEachStatement),
    async copyIn(statement, data) {
      const copied = await connection.copyIn(statement, data);
      await yieldToRequests();
      return copied;
    },
  };
}
