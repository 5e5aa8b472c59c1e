// Every response a test server sends on a documented route is checked against the server's own
// /openapi.json (the schema for its path, method and status), so no test in the suite can get an
// answer the document does not describe. The harness fails close() on any mismatch.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

export interface DocumentMismatch {
  method: string;
  url: string;
  status: number;
  problem: string;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface DocumentInspector {
  mismatches: DocumentMismatch[];
  checked(): number;
  /** Starts checking against this document (fetched once the server listens). */
  use(document: object): void;
}

interface InspectedRequest {
  method: string;
  url: string;
}

interface HookableApp {
  addHook(name: 'onRequest', hook: (request: InspectedRequest) => Promise<void>): unknown;
  addHook(
    name: 'onSend',
    hook: (request: InspectedRequest, reply: { statusCode: number }, payload: unknown) => Promise<unknown>,
  ): unknown;
}

export function inspectDocumentedResponses(app: HookableApp): DocumentInspector {
  const mismatches: DocumentMismatch[] = [];
  let checked = 0;
  let document: Json | undefined;
  let templates: Array<{ template: string; pattern: RegExp }> = [];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction | undefined>();

  const validatorFor = (ref: string) => {
    if (!validators.has(ref)) validators.set(ref, ajv.getSchema(`openapi#${ref}`));
    return validators.get(ref);
  };

  // Check against the URL the client asked for, whatever a handler later does to request.url.
  const askedFor = new WeakMap<object, string>();
  app.addHook('onRequest', async (request) => {
    askedFor.set(request, request.url);
  });

  app.addHook('onSend', async (request, reply, streamed) => {
    // A streamed body (the original routes' list) is read whole here, checked, and sent as text.
    const payload = streamed instanceof Readable || streamed instanceof ReadableStream ? await text(streamed) : streamed;
    // Only string payloads are checked: an empty one (a 204) has no JSON to validate.
    if (!document || typeof payload !== 'string') return payload;
    const path = (askedFor.get(request) ?? request.url).split('?')[0] ?? '';
    // Static paths first, so /api/tasks/stats is not read as /api/tasks/{id}.
    const match = templates.find(({ pattern }) => pattern.test(path));
    const method = request.method.toLowerCase() === 'head' ? 'get' : request.method.toLowerCase();
    const operation = match ? document.paths[match.template]?.[method] : undefined;
    if (!operation) return payload;
    checked++;
    const status = reply.statusCode;
    const what = { method: request.method, url: path, status };
    const documented = operation.responses?.[String(status)];
    if (!documented) {
      mismatches.push({ ...what, problem: `status ${status} is not documented for ${method.toUpperCase()} ${match!.template}` });
      return payload;
    }
    if (status === 204 || request.method === 'HEAD' || !documented.content?.['application/json']) return payload;
    const ref = pointer('', 'paths', match!.template, method, 'responses', String(status), 'content', 'application/json', 'schema');
    const validate = validatorFor(ref);
    let body: unknown;
    try {
      body = JSON.parse(String(payload));
    } catch {
      mismatches.push({ ...what, problem: 'body is not JSON' });
      return payload;
    }
    if (validate && !validate(body)) {
      mismatches.push({ ...what, problem: `${ajv.errorsText(validate.errors)}: ${String(payload).slice(0, 300)}` });
    }
    return payload;
  });

  return {
    mismatches,
    checked: () => checked,
    use(doc) {
      document = doc as Json;
      ajv.addSchema(document, 'openapi');
      const paths = Object.keys(document.paths ?? {});
      const staticFirst = [...paths].sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
      templates = staticFirst.map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}/?$`),
      }));
    },
  };
}
