// Named prepared statements on PGlite, as pg-client.ts names them on PostgreSQL. PGlite's own
// `query` makes six calls into PostgreSQL for every statement (Parse, Describe, Bind, Describe,
// Execute, Sync, each with its own message parse in JavaScript) and PostgreSQL parses and plans the
// text every time. Here a parameterized statement is parsed and described once per database, and
// every later run is one call: Bind, Execute and Sync in one message, its rows read with the
// description PostgreSQL gave at Parse (bench/README.md, "PGlite's statements").
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';
import { statementName } from './pg-client.ts';

type QueryOptions = Parameters<PGlite['query']>[2];
type BackendMessage = Parameters<typeof parse.parseResults>[0][number];
type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

interface Statement {
  name: string;
  parameterTypes: number[];
  /** Its RowDescription, absent for a statement that returns no rows. */
  description: BackendMessage | undefined;
}
/** What one PGlite database has prepared, by statement text. */
type Prepared = Map<string, Statement>;
const preparedIn = new WeakMap<PGlite, Prepared>();

/**
 * Replaces `target.query` (the database's, or a transaction's) with one that runs parameterized
 * statements by name. Statements without parameters (BEGIN, DDL, health checks) and those past
 * pg-client's bound on names keep PGlite's own path.
 *
 * Locks are PGlite's: outside a transaction a statement waits for the transaction lock and then the
 * query lock, as `pglite.query` does; a transaction's statements hold only the query lock (the
 * transaction holds the other). Parameters and rows go through the database's own serializers and
 * parsers, and an error carries `query` and `params` as PGlite's do.
 */
export function runByName<T extends Pick<PGlite, 'query'>>(pglite: PGlite, target: T, inTransaction: boolean): T {
  const query = target.query.bind(target) as Query;
  let prepared = preparedIn.get(pglite);
  if (!prepared) preparedIn.set(pglite, (prepared = new Map()));
  const known = prepared;
  target.query = (<R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
    if (!params?.length || options?.blob || options?.paramTypes || !pglite.ready) return query<R>(text, params, options);
    const name = statementName(text);
    if (name === undefined) return query<R>(text, params, options);
    const run = () => pglite._runExclusiveQuery(() => execute<R>(pglite, known, name, text, params, options, inTransaction));
    return inTransaction ? run() : pglite._runExclusiveTransaction(run);
  }) as T['query'];
  return target;
}

async function execute<R>(
  pglite: PGlite,
  prepared: Prepared,
  name: string,
  text: string,
  params: unknown[],
  options: QueryOptions,
  inTransaction: boolean,
): Promise<Results<R>> {
  try {
    let statement = prepared.get(text);
    if (!statement) {
      const { messages } = await pglite.execProtocol(
        join(protocol.serialize.parse({ name, text, types: [] }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()),
        { syncToFs: false },
      );
      statement = {
        name,
        parameterTypes: parse.parseDescribeStatementResults(messages),
        description: messages.find((message) => message.name === 'rowDescription'),
      };
      prepared.set(text, statement);
    }
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const type = statement.parameterTypes[index]!;
      const serializer = options?.serializers?.[type] ?? pglite.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await pglite.execProtocol(
      join(protocol.serialize.bind({ statement: name, values }), protocol.serialize.execute({}), protocol.serialize.sync()),
      { syncToFs: !inTransaction },
    );
    if (statement.description) messages.unshift(statement.description);
    return parse.parseResults(messages, pglite.parsers, options)[0] as Results<R>;
  } catch (error) {
    if (error instanceof Error && 'severity' in error) Object.assign(error, { query: text, params, queryOptions: options });
    throw error;
  }
}

function join(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const message = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}
