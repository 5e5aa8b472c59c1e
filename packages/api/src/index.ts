export { appRouter, createCaller, type AppRouter } from './router.ts';
export { createContextFactory, createInnerContext, type Context, type ContextDeps, type RequestAuth } from './context.ts';
export { authenticateHeader, bearerToken, createAuthenticator, Unauthorized, type AuthConfig, type Authenticator } from './auth.ts';
export { CursorMismatch, InvalidCursor, ServiceUnavailable, TaskNotFound, toClientError } from './errors.ts';
export { clientErrorMessage, fieldIssues, type FieldIssue } from './trpc.ts';
export * from './schemas.ts';
