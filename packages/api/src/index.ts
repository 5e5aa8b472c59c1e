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
  InvalidSyncToken,
  MethodNotAllowed,
  PayloadTooLarge,
  PreconditionRequired,
  RateLimited,
  ServiceUnavailable,
  SyncTokenExpired,
  TaskNotFound,
  toClientError,
  Unauthorized,
  UnsupportedMediaType,
  VersionConflict,
  type ErrorHttp,
} from './errors.ts';
export { clientErrorMessage, fieldIssues, trpcErrorShape, type FieldIssue } from './trpc.ts';
/** The /trpc wire's transformer (superjson), for servers that answer some calls themselves. */
export { isPlainDate, wireTransformer } from './wire-transformer.ts';
export * from './schemas.ts';
export { calendarDay, daysBetween, dueStanding, type DueStanding } from './due-dates.ts';
export * from './sync-schemas.ts';
export { ChangeStreams, type ChangeStreamLimits, type StreamLease } from './change-streams.ts';
export { DEFAULT_SYNC, readChangesPage, streamStart, streamTaskChanges, type ChangesPage, type StreamOptions, type SyncSettings, type TaskEvent } from './task-sync.ts';
