// Every error response a test server sends is checked for things a client must never see: stack
// frames, SQL, constraint or relation names, driver messages. The harness fails close() on any.

const LEAK_PATTERNS: Array<[string, RegExp]> = [
  ['stack frame', /\bat [\w$.<>]+ \(?[^)\s]*:\d+:\d+\)?/],
  ['stack property', /"stack"\s*:/],
  ['SQL statement', /\b(select\s.+\sfrom|insert\s+into|update\s+"?\w+"?\s+set|delete\s+from)\b/i],
  ['SQLSTATE or driver text', /\b(sqlstate|duplicate key value|violates (check|foreign key|unique|not-null) constraint|syntax error at or near|relation "\w+"|column "\w+"|invalid input syntax for)\b/i],
  ['constraint name', /\btasks_(title_not_blank|description_length|user_created_idx|user_completed_idx|pkey|user_id_fkey)\b/],
  ['driver module', /\b(node_modules|pg-protocol|kysely\/dist|@electric-sql)\b/],
  // A password hash in the PHC string format (the accounts' Argon2id, or any other scheme).
  ['password hash', /\$argon2(id|i|d)\$|\$(2[aby]|scrypt|pbkdf2[\w-]*)\$/],
];

/** The kinds of leak found in a response body (empty when clean). */
export function findLeaks(body: string): string[] {
  return LEAK_PATTERNS.filter(([, pattern]) => pattern.test(body)).map(([name]) => name);
}

export interface LeakReport {
  method: string;
  url: string;
  status: number;
  leaks: string[];
  body: string;
}

interface HookableApp {
  addHook(
    name: 'onSend',
    hook: (request: { method: string; url: string }, reply: { statusCode: number }, payload: unknown) => Promise<unknown>,
  ): unknown;
}

/** Adds the inspection hook; returns the list it fills and a count of inspected error responses. */
export function inspectErrorResponses(app: HookableApp): { reports: LeakReport[]; inspected: () => number } {
  const reports: LeakReport[] = [];
  let inspected = 0;
  app.addHook('onSend', async (request, reply, payload) => {
    // The tRPC adapter replies with a fetch Response whose status Fastify applies after this hook.
    const status = payload instanceof Response ? payload.status : reply.statusCode;
    if (status < 400) return payload;
    const body =
      typeof payload === 'string' ? payload : payload instanceof Response ? await payload.clone().text() : payload instanceof Buffer ? payload.toString() : undefined;
    if (body === undefined) return payload;
    inspected++;
    const leaks = findLeaks(body);
    if (leaks.length) reports.push({ method: request.method, url: request.url, status, leaks, body });
    return payload;
  });
  return { reports, inspected: () => inspected };
}
