// Named prepared statements on PGlite, as pg-client.ts names them on PostgreSQL. PGlite's own
// `query` makes six calls into PostgreSQL for every statement (Parse, Describe, Bind, Describe,
// Execute, Sync, each with its own message parse in JavaScript) and PostgreSQL parses and plans the
// text every time. Here a parameterized statement is parsed and described once per database, and
// every later run is one call: Bind, Execute and Sync in one message. Its answer is read by pg's
// protocol parser (pg-protocol, what pg reads PostgreSQL's sockets with) with the description
// PostgreSQL gave at Parse: PGlite's own parser copied every field into an ArrayBuffer of its own
// and took 100–200 µs of a 21-row page (bench/README.md, "PGlite's statements").
import { messages as pgliteMessages, parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';
import type { DatabaseError } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import { statementName } from './pg-client.ts';

type QueryOptions = Parameters<PGlite['query']>[2];
type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;
type Field = Results['fields'][number];
type ValueParsers = PGlite['parsers'];
/** Where a NOTIFY that a statement's answer carried goes (PGlite delivers those its own parser reads). */
export type NotificationSink = (channel: string, payload: string) => void;

interface Statement {
  name: string;
  parameterTypes: number[];
  /** Its columns as PostgreSQL described them at Parse (none for a statement that returns no rows). */
  fields: Field[];
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
 * transaction holds the other). Parameters and values go through the database's own serializers and
 * parsers, an error is PGlite's DatabaseError carrying `query` and `params`, and notifications
 * reach `notify`.
 */
export function runByName<T extends Pick<PGlite, 'query'>>(pglite: PGlite, target: T, inTransaction: boolean, notify: NotificationSink): T {
  const query = target.query.bind(target) as Query;
  let prepared = preparedIn.get(pglite);
  if (!prepared) preparedIn.set(pglite, (prepared = new Map()));
  const known = prepared;
  target.query = (<R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
    if (!params?.length || options?.blob || options?.paramTypes || !pglite.ready) return query<R>(text, params, options);
    const name = statementName(text);
    if (name === undefined) return query<R>(text, params, options);
    const run = () => pglite._runExclusiveQuery(() => execute<R>(pglite, known, { name, text, params, options, inTransaction, notify }));
    return inTransaction ? run() : pglite._runExclusiveTransaction(run);
  }) as T['query'];
  return target;
}

interface Call {
  name: string;
  text: string;
  params: unknown[];
  options: QueryOptions;
  inTransaction: boolean;
  notify: NotificationSink;
}

async function execute<R>(pglite: PGlite, prepared: Prepared, call: Call): Promise<Results<R>> {
  const { name, text, params, options } = call;
  try {
    let statement = prepared.get(text);
    if (!statement) {
      const { messages } = await pglite.execProtocol(
        join(protocol.serialize.parse({ name, text, types: [] }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()),
        { syncToFs: false },
      );
      const description = messages.find((message) => message.name === 'rowDescription') as { fields: Field[] } | undefined;
      statement = {
        name,
        parameterTypes: parse.parseDescribeStatementResults(messages),
        fields: description?.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })) ?? [],
      };
      prepared.set(text, statement);
    }
    const types = statement.parameterTypes;
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = options?.serializers?.[types[index]!] ?? pglite.serializers[types[index]!];
      return serializer ? serializer(value) : String(value);
    });
    const answer = new Answer(statement.fields, options?.parsers ? { ...pglite.parsers, ...options.parsers } : pglite.parsers, options?.rowMode === 'array', call.notify);
    await pglite.execProtocolRawStream(
      join(protocol.serialize.bind({ statement: name, values }), protocol.serialize.execute({}), protocol.serialize.sync()),
      { syncToFs: !call.inTransaction, onRawData: (data) => answer.read(data) },
    );
    return answer.result() as Results<R>;
  } catch (error) {
    if (error instanceof Error && 'severity' in error) Object.assign(error, { query: text, params, queryOptions: options });
    throw error;
  }
}

/** The fields PGlite's DatabaseError carries, as pg-protocol reads them from an ErrorResponse. */
const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

/** One statement's answer, built as PGlite's parseResults builds it from the same messages. */
class Answer {
  readonly #parser = new Parser();
  readonly #fields: Field[];
  readonly #parsers: Array<ValueParsers[number] | undefined>;
  readonly #arrays: boolean;
  readonly #notify: NotificationSink;
  readonly #rows: Results['rows'] = [];
  #complete: { command: string; count: number } | undefined;
  #error: Error | undefined;

  constructor(fields: Field[], parsers: ValueParsers, arrays: boolean, notify: NotificationSink) {
    this.#fields = fields;
    this.#parsers = fields.map((field) => parsers[field.dataTypeID]);
    this.#arrays = arrays;
    this.#notify = notify;
  }

  /** A chunk of PostgreSQL's output, valid only during this call (it is PGlite's buffer): copied first. */
  read(data: Uint8Array): void {
    this.#parser.parse(Buffer.from(data), (message) => {
      switch (message.name) {
        case 'dataRow':
          this.#rows.push(this.#row((message as unknown as { fields: Array<string | null> }).fields));
          break;
        case 'commandComplete': {
          const words = (message as unknown as { text: string }).text.split(' ');
          this.#complete = { command: words[0]!, count: Number.parseInt(words[words.length - 1]!, 10) };
          break;
        }
        case 'notification': {
          const { channel, payload } = message as unknown as { channel: string; payload: string };
          queueMicrotask(() => this.#notify(channel, payload));
          break;
        }
        case 'error':
          // The first error is the statement's; PostgreSQL skips the rest up to Sync.
          this.#error ??= databaseError(message as unknown as DatabaseError);
          break;
      }
    });
  }

  result(): Results {
    if (this.#error) throw this.#error;
    const fields = this.#fields;
    if (!this.#complete) return { affectedRows: 0, rows: [], fields: [] };
    const { command, count } = this.#complete;
    const writes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'COPY' || command === 'MERGE';
    const result: Results & { command: string } = { rows: this.#rows, fields, command, affectedRows: writes ? count : 0 };
    if (!Number.isNaN(count)) result.rowCount = count;
    return result;
  }

  #row(values: Array<string | null>): Results['rows'][number] {
    const fields = this.#fields;
    const parsers = this.#parsers;
    const parsed = (value: string | null, i: number): unknown => {
      const parser = parsers[i];
      return value === null ? null : parser ? parser(value, fields[i]!.dataTypeID) : value;
    };
    if (this.#arrays) return values.map(parsed);
    const row: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i++) row[fields[i]!.name] = parsed(values[i]!, i);
    return row;
  }
}

/** PGlite's own error class, so that code written against PGlite's errors sees no difference. */
function databaseError(read: DatabaseError): Error {
  const error = new pgliteMessages.DatabaseError(read.message, read.length, 'error');
  for (const field of ERROR_FIELDS) (error as unknown as Record<string, unknown>)[field] = read[field];
  return error;
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
