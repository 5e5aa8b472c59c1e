export { appRouter, createCaller, type AppRouter } from './router.ts';
export { createContext, createInnerContext, type CallerAuth, type Context } from './context.ts';
export { accountsFor, accountsUnavailable, ACCOUNTS_ELSEWHERE, ACCOUNTS_OFF, type Accounts, type Attempt, type AttemptLimiter } from './accounts.ts';
export { ACCOUNT_TOKEN_LIFETIME_SECONDS, issueAccountToken } from './account-tokens.ts';
export * from './account-schemas.ts';
export { ARGON2_PARAMETERS, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
export { authenticateHeader, bearerToken, createAuthenticator, type AuthConfig, type Authenticator } from './auth.ts';
export {
  AccountsUnavailable,
  CursorMismatch,
  DEFAULT_RETRY_AFTER_SECONDS,
  EmailTaken,
  errorHttp,
  InvalidCredentials,
  InvalidCursor,
  InvalidSyncToken,
  MethodNotAllowed,
  PayloadTooLarge,
  RateLimited,
  ServiceUnavailable,
  SyncTokenExpired,
  TaskNotFound,
  toClientError,
  Unauthorized,
  UnsupportedMediaType,
  type ErrorHttp,
} from './errors.ts';
export { clientErrorMessage, fieldIssues, type FieldIssue } from './trpc.ts';
export * from './schemas.ts';
export * from './sync-schemas.ts';
export { ChangeStreams, type ChangeStreamLimits, type StreamLease } from './change-streams.ts';
export { checkStreamToken, DEFAULT_SYNC, readChangesPage, streamTaskChanges, type ChangesPage, type StreamOptions, type SyncSettings, type TaskEvent } from './task-sync.ts';
