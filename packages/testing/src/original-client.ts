// Test support: HTTP calls as the original front end and scripts make them (JSON content type on
// every call, snake_case bodies), against a real server from @tasks/testing.
import type { TestServer } from './test-server.ts';

export interface CallOptions {
  /** A user id (its token is signed by the test server), a raw token string, or null for none. */
  as?: { user: string } | { token: string } | null;
  /** A value to send as JSON, or `{ raw }` for exact bytes. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty. */
  json: any;
}

export function originalClient(t: TestServer) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const headers = new Headers({ 'content-type': 'application/json', ...options.headers });
    const as = options.as;
    if (as && 'user' in as) headers.set('authorization', `Bearer ${await t.tokenFor(as.user)}`);
    if (as && 'token' in as) headers.set('authorization', `Bearer ${as.token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      const given = options.body as { raw?: string };
      body = typeof given === 'object' && given !== null && 'raw' in given ? given.raw : JSON.stringify(options.body);
    }
    const response = await fetch(`${t.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
}

/** The `{"detail": {"error": …}}` body of the contract's error table. */
export const detailError = (message: string) => ({ detail: { error: message } });

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the contract's fixed-width timestamp. */
export const FIXED_WIDTH_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
