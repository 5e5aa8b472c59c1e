export { appRouter, createCaller, type AppRouter } from './router.ts';
export { createContext, createInnerContext, type CallerAuth, type Context, type IdempotencySettings, type WriteHeaders } from './context.ts';
export { DEFAULT_IDEMPOTENCY, requestFingerprint } from './write-guards.ts';
export * from './batch-schemas.ts';
export { accountsFor, accountsUnavailable, ACCOUNTS_ELSEWHERE, ACCOUNTS_OFF, type Accounts, type Attempt, type AttemptLimiter } from './accounts.ts';
export { ACCOUNT_TOKEN_LIFETIME_SECONDS, issueAccountToken } from './account-tokens.ts';
export * from './account-schemas.ts';
export { ARGON2_PARAMETERS, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
export { authenticateHeader, bearerToken, createAuthenticator, type AuthConfig, type Authenticator, type KeysOutageEvent } from './auth.ts';
export {
  AccountsUnavailable,
  BatchOperationFailed,
  CursorMismatch,
  DEFAULT_RETRY_AFTER_SECONDS,
  EmailTaken,
  errorDetails,
  errorHttp,
  IdempotencyKeyInFlight,
  IdempotencyKeyReused,
  InvalidIdempotencyKey,
  InvalidCredentials,
  InvalidCursor,
  MethodNotAllowed,
  PayloadTooLarge,
  PreconditionRequired,
  RateLimited,
  ServiceUnavailable,
  TaskNotFound,
  toClientError,
  Unauthorized,
  UnsupportedMediaType,
  VersionConflict,
  type ErrorHttp,
} from './errors.ts';
export { clientErrorMessage, fieldIssues, type FieldIssue } from './trpc.ts';
export * from './schemas.ts';
export { calendarDay, daysBetween, dueStanding, type DueStanding } from './due-dates.ts';
