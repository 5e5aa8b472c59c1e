export { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';
export { createProxiedTestDatabase, createTestDatabase, createPostgresDatabase, testDatabaseKind, type TestDatabase } from './test-database.ts';
export { signTestToken, type TestTokenOptions } from './tokens.ts';
export { findLeaks, inspectErrorResponses, type LeakReport } from './leak-inspector.ts';
export { createTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { fuzzRuns, fuzzSeed, hostileInput, hostileNumber, hostileString, hostileTaskInput, hostileValue } from './hostile-input.ts';
export { inspectDocumentedResponses, type DocumentInspector, type DocumentMismatch } from './document-inspector.ts';
export { originalClient, detailError, FIXED_WIDTH_TIMESTAMP, type CallOptions, type CallResult } from './original-client.ts';
export { createContractFetch, type ContractFetch } from './contract-fetch.ts';
