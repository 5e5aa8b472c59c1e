// Records every statement a server runs through its Kysely instance (its kind and the tables it
// names), so a test can tell how many pages of a list the server actually read.
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

export interface ExecutedStatement {
  /** The root node's kind: `SelectQueryNode`, `InsertQueryNode`, `RawNode`, … (`unknown` if compiled elsewhere). */
  kind: string;
  /** The tables in its FROM / INTO / UPDATE clause. */
  tables: string[];
}

function tablesOf(node: RootOperationNode): string[] {
  const names: string[] = [];
  const add = (table: OperationNode | undefined): void => {
    if (table?.kind === 'AliasNode') return add((table as unknown as { node: OperationNode }).node);
    if (table?.kind === 'TableNode') names.push((table as unknown as { table: { identifier: { name: string } } }).table.identifier.name);
  };
  if (node.kind === 'SelectQueryNode' || node.kind === 'DeleteQueryNode') for (const from of node.from?.froms ?? []) add(from);
  if (node.kind === 'InsertQueryNode') add(node.into);
  if (node.kind === 'UpdateQueryNode') add(node.table);
  return names;
}

/**
 * A plugin whose results hook fires once per executed statement. A statement is described when it is
 * compiled (the list query is compiled once and reused), and counted each time its result comes back.
 */
export function createStatementLog(): { plugin: KyselyPlugin; statements: ExecutedStatement[] } {
  const statements: ExecutedStatement[] = [];
  const described = new WeakMap<object, ExecutedStatement>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      described.set(queryId, { kind: node.kind, tables: tablesOf(node) });
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      statements.push(described.get(queryId) ?? { kind: 'unknown', tables: [] });
      return result;
    },
  };
  return { plugin, statements };
}
