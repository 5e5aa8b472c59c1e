// `@tasks/testing/database`: fresh databases and a cuttable TCP proxy, without the server, so a
// database or procedure test loads no HTTP code.
export { createProxiedTestDatabase, createTestDatabase, createPostgresDatabase, testDatabaseKind, type TestDatabase } from './test-database.ts';
export { createTcpProxy, type TcpProxy } from './tcp-proxy.ts';
