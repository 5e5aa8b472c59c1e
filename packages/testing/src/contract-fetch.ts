// Test helper: a fetch that checks every /api/tasks response against the OpenAPI document (the
// schema for its route, method and status) before handing it back, so that no test can get an
// answer the document does not describe. Used by the REST tests; not part of the server.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

type Json = Record<string, any>;

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface ContractFetch {
  (path: string, init?: RequestInit): Promise<Response>;
  /** How many responses were checked (tests assert it grew, so the check cannot silently be skipped). */
  checked(): number;
}

/** Finds the document path (`/api/tasks/{id}`) a concrete URL path matches. */
function templateFor(document: Json, urlPath: string): string | undefined {
  return Object.keys(document.paths).find((template) =>
    new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`).test(urlPath),
  );
}

/**
 * `server` is a base URL (fetched over the network) or a test server's own `fetch(path, init)`, so
 * a server started with `listen: false` is checked the same way.
 */
export function createContractFetch(openapi: object, server: string | ((path: string, init?: RequestInit) => Promise<Response>)): ContractFetch {
  const send = typeof server === 'string' ? (path: string, init?: RequestInit) => fetch(`${server}${path}`, init) : server;
  const document = openapi as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  let checked = 0;

  function validate(schemaRef: string, body: unknown, what: string): void {
    const validator = ajv.getSchema(`openapi#${schemaRef}`);
    if (!validator) throw new Error(`no schema at ${schemaRef}`);
    const ok = validator(body);
    expect(ok, `${what} does not match the document: ${ajv.errorsText(validator.errors)}\n${JSON.stringify(body)}`).toBe(true);
  }

  async function contractFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await send(path, init);
    const method = (init.method ?? 'GET').toLowerCase();
    const urlPath = new URL(path, 'http://server.invalid').pathname;
    const template = templateFor(document, urlPath);
    const what = `${method.toUpperCase()} ${urlPath} → ${response.status}`;
    const text = await response.clone().text();
    const operation = template ? document.paths[template][method === 'head' ? 'get' : method] : undefined;

    if (!operation) {
      // A method or path the document does not have: only an error in the ApiError schema is acceptable.
      expect([404, 405], `${what}: undocumented route answered`).toContain(response.status);
      if (method !== 'head') validate(pointer('', 'components', 'schemas', 'ApiError'), JSON.parse(text), what);
    } else {
      const documented = operation.responses[String(response.status)];
      expect(documented, `${what}: status not in the document`).toBeDefined();
      if (response.status === 204 || method === 'head') {
        expect(text, `${what}: body must be empty`).toBe('');
      } else {
        expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
        const ref = pointer('', 'paths', template!, method, 'responses', String(response.status), 'content', 'application/json', 'schema');
        validate(ref, JSON.parse(text), what);
      }
      for (const header of Object.keys(documented.headers ?? {})) {
        expect(response.headers.get(header), `${what}: documented header ${header} missing`).not.toBeNull();
      }
    }
    checked++;
    return response;
  }
  contractFetch.checked = () => checked;
  return contractFetch;
}
