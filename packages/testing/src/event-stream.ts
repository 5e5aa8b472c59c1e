// Reads a text/event-stream response as events (the WHATWG parsing rules, as far as a test needs them:
// `event`, `data`, `id` fields and comment lines), for tests of GET /api/tasks/events.
export interface StreamEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export interface EventStreamReader {
  /** Every event so far (comments excluded). */
  events: StreamEvent[];
  /** How many comment lines (heartbeats) came. */
  comments(): number;
  /** Resolves when `predicate` holds for the events so far, or rejects after `timeoutMs`. */
  until(predicate: (events: StreamEvent[]) => boolean, timeoutMs?: number): Promise<StreamEvent[]>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `url` with `init` and reads it in the background. */
export async function openEventStream(url: string, init: RequestInit = {}): Promise<{ response: Response; reader: EventStreamReader }> {
  const abort = new AbortController();
  const response = await fetch(url, { ...init, signal: abort.signal });
  const events: StreamEvent[] = [];
  let comments = 0;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((wake) => wake());
  let done = false;
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: StreamEvent = { event: 'message', data: '', id: undefined };
          let fields = 0;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            else if (line.startsWith('event: ')) ((event.event = line.slice(7)), fields++);
            else if (line.startsWith('data: ')) ((event.data += (event.data ? '\n' : '') + line.slice(6)), fields++);
            else if (line.startsWith('id: ')) ((event.id = line.slice(4)), fields++);
          }
          if (fields) events.push(event);
        }
        notify();
      }
    } catch {
      // Aborted by close(), or cut by the server.
    } finally {
      done = true;
      notify();
    }
  })();
  return {
    response,
    reader: {
      events,
      comments: () => comments,
      ended,
      close: () => abort.abort(),
      until(predicate, timeoutMs = 30_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (predicate(events)) {
              cleanup();
              resolve(events);
            } else if (done) {
              cleanup();
              reject(new Error(`event stream ended with ${events.length} events`));
            }
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`timed out with ${events.length} events`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
    },
  };
}
