// The bare-array list as a stream of JSON text, one `tasks.list` page at a time: each page becomes
// its text at once and the next is read only as the client takes the body. Built whole, a
// 100,000-task list peaked at 310 MB RSS.
// Named rather than global: apps/web's type-check (DOM library) reaches this file through the harness.
import { ReadableStream } from 'node:stream/web';
import type { Task } from '@tasks/api';
import { toCompatTask, type ServerCalendar } from './task-wire.ts';

export type ListPage = { items: Task[]; nextCursor: string | null };

/**
 * `[task, …]` from a first page already read (so its failures got their status) and a reader of the
 * next ones. A page that fails after the first ends the response early (the status is sent by then).
 * A web stream: a HEAD request cancels it (Fastify drains a Node stream, reading every page).
 */
export function streamedList(first: ListPage, nextPage: (cursor: string) => Promise<ListPage>, calendar: ServerCalendar): ReadableStream<string> {
  async function* pieces(): AsyncGenerator<string> {
    let separator = '[';
    let page = first;
    for (;;) {
      if (page.items.length) {
        yield separator + page.items.map((task) => JSON.stringify(toCompatTask(task, calendar))).join(',');
        separator = ',';
      }
      if (page.nextCursor === null) break;
      page = await nextPage(page.nextCursor);
    }
    yield separator === '[' ? '[]' : ']';
  }
  return ReadableStream.from(pieces());
}
