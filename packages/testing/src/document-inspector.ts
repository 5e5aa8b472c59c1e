// Every response a test server sends on a documented route is checked against the server's own
// /openapi.json (the schema for its path, method and status), so no test in the suite can get an
// answer the document does not describe. The harness fails close() on any mismatch.
import { Readable, Transform } from 'node:stream';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

export interface DocumentMismatch {
  method: string;
  url: string;
  status: number;
  problem: string;
}

/** A streamed body that ended in an error, or that its receiver cancelled: there was no whole body to check. */
export interface TruncatedResponse {
  method: string;
  url: string;
  status: number;
  /** `error`: the stream failed (the response was cut short); `cancelled`: the receiver stopped reading. */
  ending: 'error' | 'cancelled';
  /** Bytes that went out before it ended. */
  bytes: number;
  reason: string;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface DocumentInspector {
  mismatches: DocumentMismatch[];
  truncated: TruncatedResponse[];
  checked(): number;
  /** Starts checking against this document (fetched once the server is ready). */
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

type Ending = { text: string } | { ending: TruncatedResponse['ending']; bytes: number; reason: string };

/**
 * Passes a web stream through chunk by chunk, keeping a copy, and reports how it ended. It pulls from
 * the source only when its own reader asks (high-water mark 0), so the server reads its pages at the
 * pace the client takes them, as it does without the inspector; cancelling it cancels the source.
 */
function observeWebStream(source: ReadableStream<unknown>, onEnd: (ending: Ending) => void): ReadableStream<unknown> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  // Cancelling settles a read in progress as done; the cancellation is what happened, not an end.
  let ended = false;
  const end = (ending: Ending) => {
    if (!ended) onEnd(ending);
    ended = true;
  };
  return new ReadableStream<unknown>(
    {
      async pull(controller) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          end({ ending: 'error', bytes, reason: error instanceof Error ? error.message : String(error) });
          controller.error(error);
          return;
        }
        if (ended) return;
        if (result.done) {
          end({ text: text + decoder.decode() });
          controller.close();
          return;
        }
        const chunk = result.value;
        const piece = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
        text += piece;
        bytes += Buffer.byteLength(piece);
        controller.enqueue(chunk);
      },
      cancel(reason) {
        end({ ending: 'cancelled', bytes, reason: reason instanceof Error ? reason.message : String(reason) });
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The same for a Node stream: a transform that keeps a copy (Node streams read ahead anyway). */
function observeNodeStream(source: Readable, onEnd: (ending: Ending) => void): Readable {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const copy = new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const buffer = Buffer.from(chunk);
      chunks.push(buffer);
      bytes += buffer.length;
      done(null, chunk);
    },
    flush(done) {
      onEnd({ text: Buffer.concat(chunks).toString() });
      done();
    },
  });
  source.once('error', (error) => {
    onEnd({ ending: 'error', bytes, reason: error.message });
    copy.destroy(error);
  });
  copy.once('close', () => {
    if (!copy.writableFinished) source.destroy();
  });
  return source.pipe(copy);
}

export function inspectDocumentedResponses(app: HookableApp): DocumentInspector {
  const mismatches: DocumentMismatch[] = [];
  const truncated: TruncatedResponse[] = [];
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

  app.addHook('onSend', async (request, reply, payload) => {
    // Only text and streamed bodies are checked: an empty payload (a 204) has no JSON to validate.
    if (!document || (typeof payload !== 'string' && !isStream(payload))) return payload;
    const path = (askedFor.get(request) ?? request.url).split('?')[0] ?? '';
    // Static paths first, so /api/tasks/stats is not read as /api/tasks/{id}.
    const match = templates.find(({ pattern }) => pattern.test(path));
    const method = request.method === 'HEAD' ? 'get' : request.method.toLowerCase();
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
    // A HEAD's stream goes back untouched, for Fastify to cancel as it does outside the harness.
    if (status === 204 || request.method === 'HEAD' || !documented.content?.['application/json']) return payload;
    const ref = pointer('', 'paths', match!.template, method, 'responses', String(status), 'content', 'application/json', 'schema');
    const check = (body: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        mismatches.push({ ...what, problem: `body is not JSON: ${body.slice(0, 300)}` });
        return;
      }
      const validate = validatorFor(ref);
      if (validate && !validate(parsed)) mismatches.push({ ...what, problem: `${ajv.errorsText(validate.errors)}: ${body.slice(0, 300)}` });
    };
    if (typeof payload === 'string') {
      check(payload);
      return payload;
    }
    // A streamed body (the original routes' list) goes out as it comes and is checked once it ends.
    const onEnd = (ending: Ending) => ('text' in ending ? check(ending.text) : truncated.push({ ...what, ...ending }));
    return payload instanceof ReadableStream ? observeWebStream(payload, onEnd) : observeNodeStream(payload as Readable, onEnd);
  });

  return {
    mismatches,
    truncated,
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

const isStream = (payload: unknown): payload is Readable | ReadableStream => payload instanceof Readable || payload instanceof ReadableStream;
