// @vitest-environment happy-dom
// @vitest-environment-options { "settings": { "fetch": { "disableSameOriginPolicy": true } } }
// The React Query entry in a rendered component: a list from `queryOptions` and a button whose
// `mutationOptions` create a task and invalidate the list, against a real server over HTTP.
// happy-dom's fetch carries the client's requests; its emulation of CORS preflights is turned off
// (the server's CORS answers are tested with the server), so the page's origin plays no part.
import { startTestServer, type TestServer } from '@tasks/testing';
import type { Document, HTMLElement } from 'happy-dom';
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createElement as h, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTasksClient, type TasksClient } from './index.ts';
import { createTasksQueryOptions, TRPCProvider, useTRPC } from './react-query.ts';

let t: TestServer;
let client: TasksClient;
beforeAll(async () => {
  t = await startTestServer();
  client = createTasksClient({ url: t.trpcUrl, token: () => t.tokenFor('react-user') });
});
afterAll(async () => {
  await t?.close();
});

function PendingTasks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.tasks.list.queryOptions({ status: 'pending', sort: 'title', order: 'asc' }));
  const add = useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.tasks.list.queryKey() }),
    }),
  );
  if (list.isPending) return h('p', null, 'Loading');
  if (list.isError) return h('p', { role: 'alert' }, list.error.message);
  return h(
    'section',
    null,
    h('ul', null, ...list.data.items.map((task) => h('li', { key: task.id }, `${task.title} (${task.createdAt.getUTCFullYear()})`))),
    h('button', { type: 'button', onClick: () => add.mutate({ title: 'Added from the page' }) }, 'Add'),
  );
}

// The workspace compiles for Node (no DOM library): the page is typed as the happy-dom it is.
const { document } = globalThis as unknown as { document: Document };

function render(queryClient: QueryClient): { container: HTMLElement; root: Root } {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  // JSX-free (the suite's files are .ts): TRPCProvider's props name `children`, so they pass as a prop.
  const app = h(TRPCProvider, { trpcClient: client, queryClient, children: h(PendingTasks) });
  root.render(h(StrictMode, null, h(QueryClientProvider, { client: queryClient }, app)));
  return { container, root };
}

const items = (container: HTMLElement) => [...container.querySelectorAll('li')].map((li) => li.textContent);

it('renders the tasks a query option fetched, and a mutation option adds one and refreshes the list', async () => {
  await client.tasks.create.mutate({ title: 'Water the plants' });
  const done = await client.tasks.create.mutate({ title: 'Already done' });
  await client.tasks.complete.mutate({ id: done.id });
  const year = new Date().getUTCFullYear();

  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const { container, root } = render(queryClient);
  await vi.waitFor(() => expect(container.textContent).not.toBe(''));
  await vi.waitFor(() => expect(items(container)).toEqual([`Water the plants (${year})`]), { timeout: 10_000 });

  container.querySelector('button')!.click();
  await vi.waitFor(() => expect(items(container)).toEqual([`Added from the page (${year})`, `Water the plants (${year})`]), { timeout: 10_000 });
  expect((await client.tasks.list.query({ status: 'pending' })).items).toHaveLength(2);
  root.unmount();
});

it('gives the same options outside components, for prefetching', async () => {
  const queryClient = new QueryClient();
  const trpc = createTasksQueryOptions({ client, queryClient });
  const page = await queryClient.fetchQuery(trpc.tasks.list.queryOptions({ status: 'completed' }));
  expect(page.items.map((task) => task.title)).toEqual(['Already done']);
  expect(queryClient.getQueryData(trpc.tasks.list.queryKey({ status: 'completed' }))).toEqual(page);
});

it("pages an infinite list with infiniteQueryOptions, whose inputs carry TanStack's `direction`", async () => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const trpc = createTasksQueryOptions({ client, queryClient });
  const options = trpc.tasks.list.infiniteQueryOptions(
    { sort: 'title', order: 'asc', limit: 2 },
    { getNextPageParam: (page) => page.nextCursor },
  );
  const data = await queryClient.fetchInfiniteQuery({ ...options, pages: 2 });
  // The three tasks the tests above made, by title: two on the first page, one on the second.
  expect(data.pages.map((page) => page.items.map((task) => task.title))).toEqual([
    ['Added from the page', 'Already done'],
    ['Water the plants'],
  ]);
  expect(data.pages[1]!.nextCursor).toBeNull();
});

it('refuses a backward page with a message naming direction', async () => {
  const backward = { direction: 'backward' } as unknown as Parameters<typeof client.tasks.list.query>[0];
  await expect(client.tasks.list.query(backward)).rejects.toThrow(/direction/);
});
