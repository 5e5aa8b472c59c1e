export { appRouter, createCaller, type AppRouter } from './router.ts';
export { createContext, createInnerContext, type CallerAuth, type Context } from './context.ts';
export { authenticateHeader, bearerToken, createAuthenticator, type AuthConfig, type Authenticator } from './auth.ts';
export {
  CursorMismatch,
  DEFAULT_RETRY_AFTER_SECONDS,
  errorHttp,
  InvalidCursor,
  MethodNotAllowed,
  PayloadTooLarge,
  RateLimited,
  ServiceUnavailable,
  TaskNotFound,
  toClientError,
  Unauthorized,
  UnsupportedMediaType,
  type ErrorHttp,
} from './errors.ts';
export { clientErrorMessage, fieldIssues, type FieldIssue } from './trpc.ts';
export * from './schemas.ts';
