// A `fetch` that answers through Fastify's inject(): the whole app (hooks, parsers, error handlers)
// handles the request, but no socket is opened. For tests where the wire is not the point.

/** The part of Fastify's inject() this uses (the harness names the subset, it does not depend on Fastify). */
interface InjectableApp {
  inject(options: { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer }): Promise<{
    statusCode: number;
    statusMessage: string;
    headers: Record<string, string | string[] | number | undefined>;
    rawPayload: Buffer;
  }>;
}

/** The origin absolute URLs carry when they go through inject() (the tRPC client needs one). */
export const INJECT_ORIGIN = 'http://inject.invalid';

// A Response with one of these statuses must have no body (Fetch standard, "null body status").
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('injected fetch sends strings, URLSearchParams and bytes; start the test server with listen: true for other bodies');
}

export function createInjectFetch(app: InjectableApp): typeof fetch {
  return async function injectFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    // openapi-fetch and others call fetch(request): read what the Request carries.
    if (input instanceof Request) {
      const body = input.body ? new Uint8Array(await input.arrayBuffer()) : undefined;
      return injectFetch(input.url, { method: input.method, headers: input.headers, body, ...init });
    }
    const url = new URL(String(input), INJECT_ORIGIN);
    if (url.origin !== INJECT_ORIGIN) throw new TypeError(`injected fetch cannot reach ${url.origin}`);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    if (init.body instanceof URLSearchParams && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    const payload = bodyOf(init.body);
    const answer = await app.inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(one));
    }
    const empty = NULL_BODY_STATUSES.has(answer.statusCode) || method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(answer.rawPayload), {
      status: answer.statusCode,
      statusText: answer.statusMessage,
      headers: responseHeaders,
    });
  } as typeof fetch;
}
