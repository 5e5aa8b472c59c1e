// @vitest-environment happy-dom
// @vitest-environment-options { "settings": { "fetch": { "disableSameOriginPolicy": true } } }
// The app rendered by React in happy-dom against a real server over HTTP (the browser tests in
// web-app.test.ts drive the built app in chromium): accounts, the list and its controls, edits,
// refusals shown by their fields and rolled back, deletion with Undo, paging by cursor.
import { createTasksClient, type TasksClient } from '@tasks/client';
import { startTestServer, type TestServer } from '@tasks/testing';
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from './app.tsx';
import { createSession, type Session } from './session.ts';

// Two cores shared by the whole suite: a refetch may take more than the default second.
configure({ asyncUtilTimeout: 10_000 });

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

let people = 0;
function mount(): { session: Session; client: TasksClient } {
  const session = createSession(localStorage, window);
  const client = createTasksClient({ url: t.trpcUrl, token: () => session.token() });
  render(<App client={client} session={session} />);
  return { session, client };
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));

async function signUp(): Promise<{ session: Session; client: TasksClient; email: string }> {
  const mounted = mount();
  const email = `person${++people}-${Date.now()}@example.com`;
  type('Email', email);
  type('Password', 'correct horse battery');
  type('Name', `Person ${people}`);
  click('Sign up');
  await screen.findByText(email, {}, { timeout: 10_000 });
  return { ...mounted, email };
}

async function addTask(title: string) {
  type('New task', title);
  fireEvent.submit(screen.getByLabelText('New task').closest('form')!);
}

describe('accounts', () => {
  it('signs up, stays signed in across a remount (localStorage), and signs out', async () => {
    const { email } = await signUp();
    expect(await screen.findByText('No tasks yet: add one above.')).toBeTruthy();
    cleanup();
    mount();
    expect(await screen.findByText(email)).toBeTruthy();
    click('Sign out');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(localStorage.getItem('tasks.session')).toBeNull();
  });

  it('shows the server’s field issue next to Email, and a wrong password as a message', async () => {
    mount();
    type('Email', 'not-an-email');
    type('Password', 'correct horse battery');
    type('Name', 'Someone');
    click('Sign up');
    const emailError = await screen.findByText(/email/i, { selector: '#email-error' });
    expect(emailError.textContent).not.toBe('');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');

    type('Email', 'nobody-here@example.com');
    click('Sign in');
    expect((await screen.findByText('Invalid email or password')).getAttribute('role')).toBe('alert');
  });

  it('signs in with the account it made, and accepts a pasted token', async () => {
    const { email } = await signUp();
    click('Sign out');
    type('Email', email);
    type('Password', 'correct horse battery');
    fireEvent.submit(screen.getByLabelText('Email').closest('form')!);
    expect(await screen.findByText(email, {}, { timeout: 10_000 })).toBeTruthy();
    click('Sign out');

    await t.clientFor('token-person').tasks.create.mutate({ title: 'Made elsewhere' });
    type('Token', await t.tokenFor('token-person'));
    click('Use this token');
    expect(await screen.findByText('Signed in with a token')).toBeTruthy();
    expect(await screen.findByText('Made elsewhere')).toBeTruthy();
  });

  it('a token the server refuses shows an error state with a retry', async () => {
    const { session } = { session: createSession(localStorage) };
    session.signIn({ token: 'not-a-jwt' });
    mount();
    expect((await screen.findByText(/Could not load your tasks/, {}, { timeout: 10_000 })).textContent).toMatch(/token/i);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('tasks', () => {
  it('adds on Enter, completes and reopens by the checkbox named by the title, and counts', async () => {
    await signUp();
    await screen.findByText('No tasks yet: add one above.');
    await addTask('Buy milk');
    await addTask('Water plants');
    await screen.findByText('Water plants');
    // The row is replaced when the server's answer (with the real id) replaces the optimistic one.
    const box = () => screen.getByRole('checkbox', { name: 'Buy milk' }) as HTMLInputElement;
    await waitFor(() => expect(box().disabled).toBe(false));
    fireEvent.click(box());
    await waitFor(() => expect(screen.getByTestId('stat-completed').textContent).toBe('1'));
    expect(screen.getByTestId('stat-total').textContent).toBe('2');
    expect(screen.getByTestId('stat-pending').textContent).toBe('1');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Buy milk' }));
    await waitFor(() => expect(screen.getByTestId('stat-completed').textContent).toBe('0'));
  });

  it('a title the server refuses is rolled back and its message shown by the New task field', async () => {
    await signUp();
    await screen.findByText('No tasks yet: add one above.');
    await addTask('x'.repeat(256));
    const error = await screen.findByText('Title must be 255 characters or less');
    expect(error.id).toBe('new-task-error');
    expect(screen.getByLabelText('New task').getAttribute('aria-invalid')).toBe('true');
    // Given back to fix, and not in the list.
    expect((screen.getByLabelText('New task') as HTMLInputElement).value).toHaveLength(256);
    await screen.findByText('No tasks yet: add one above.');
  });

  it('edits every field; a refused tag shows by Tags and keeps the task as the server has it', async () => {
    const { client } = await signUp();
    await addTask('Plan trip');
    await screen.findByText('Plan trip');
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Plan trip' }) as HTMLInputElement).disabled).toBe(false));
    click('Edit “Plan trip”');
    const form = screen.getByRole('form', { name: 'Edit “Plan trip”' });
    const field = (label: string) => within(form).getByLabelText(label);
    fireEvent.change(field('Title'), { target: { value: 'Plan the trip' } });
    fireEvent.change(field('Description'), { target: { value: 'Trains, not planes' } });
    fireEvent.change(field('Priority'), { target: { value: 'high' } });
    fireEvent.change(field('Due date kind'), { target: { value: 'datetime' } });
    fireEvent.change(within(form).getByLabelText('Due at'), { target: { value: '2030-05-04T09:30' } });
    fireEvent.change(field('Tags'), { target: { value: `travel, ${'y'.repeat(41)}` } });
    fireEvent.submit(form);
    expect((await within(form).findByText('Tag must be 40 characters or less')).id).toBe(`${field('Tags').id}-error`);

    fireEvent.change(field('Tags'), { target: { value: 'Travel, family' } });
    fireEvent.submit(form);
    await screen.findByText('Plan the trip');
    const [task] = (await client.tasks.list.query()).items;
    expect(task).toMatchObject({ title: 'Plan the trip', description: 'Trains, not planes', priority: 'high', tags: ['travel', 'family'] });
    expect(task!.dueAt).toEqual(new Date(2030, 4, 4, 9, 30));
    expect(screen.getByText('#family')).toBeTruthy();

    click('Edit “Plan the trip”');
    const again = screen.getByRole('form', { name: 'Edit “Plan the trip”' });
    fireEvent.change(within(again).getByLabelText('Due date kind'), { target: { value: 'none' } });
    fireEvent.change(within(again).getByLabelText('Description'), { target: { value: '' } });
    fireEvent.submit(again);
    await waitFor(async () => expect((await client.tasks.list.query()).items[0]).toMatchObject({ dueAt: null, description: null }));
    // A date-only due (the whole day wherever it is read) replaces the instant, and back to none.
    click('Edit “Plan the trip”');
    const dated = screen.getByRole('form', { name: 'Edit “Plan the trip”' });
    fireEvent.change(within(dated).getByLabelText('Due date kind'), { target: { value: 'date' } });
    fireEvent.change(within(dated).getByLabelText('Due on'), { target: { value: '2031-02-03' } });
    fireEvent.submit(dated);
    await waitFor(async () => expect((await client.tasks.list.query()).items[0]).toMatchObject({ dueAt: null, dueDate: '2031-02-03' }));
    await waitFor(() => expect(document.querySelector('.due')?.textContent).toMatch(/2031/));
    click('Edit “Plan the trip”');
    expect((within(screen.getByRole('form', { name: 'Edit “Plan the trip”' })).getByLabelText('Due on') as HTMLInputElement).value).toBe('2031-02-03');
    click('Cancel');
    click('Edit “Plan the trip”');
    click('Cancel');
    expect(screen.queryByRole('form', { name: /^Edit/ })).toBeNull();
  });

  it('deletes, and Undo puts back a copy with the same fields', async () => {
    const { client } = await signUp();
    const kept = await client.tasks.create.mutate({ title: 'Keep me', priority: 'low', tags: ['a'] });
    await client.tasks.complete.mutate({ id: kept.id });
    await client.tasks.create.mutate({ title: 'Filler' });
    remount();
    await screen.findByText('Keep me');
    click('Delete “Keep me”');
    await screen.findByText('Deleted “Keep me”.', { exact: false });
    await waitFor(async () => expect((await client.tasks.list.query()).items.map((task) => task.title)).toEqual(['Filler']));
    click('Undo');
    await waitFor(async () =>
      expect((await client.tasks.list.query({ sort: 'title', order: 'asc' })).items.map(({ title, completed, priority, tags }) => ({ title, completed, priority, tags }))).toEqual([
        { title: 'Filler', completed: false, priority: 'medium', tags: [] },
        { title: 'Keep me', completed: true, priority: 'low', tags: ['a'] },
      ]),
    );
    await screen.findByText('Keep me');
  });

  it('a change the server refuses is rolled back with a message (the task was deleted elsewhere)', async () => {
    const { client } = await signUp();
    const gone = await client.tasks.create.mutate({ title: 'Deleted in another tab' });
    remount();
    await screen.findByText('Deleted in another tab');
    await client.tasks.delete.mutate({ id: gone.id });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Deleted in another tab' }));
    expect(await screen.findByText('Task not found')).toBeTruthy();
  });
});

describe('the list', () => {
  it('searches, filters by status, priority, tag and due day, and sorts', async () => {
    const { client } = await signUp();
    const now = new Date();
    const at = (days: number, hours = 12) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hours);
    await client.tasks.create.mutate({ title: 'Renew passport', priority: 'high', tags: ['admin'], dueAt: at(-3) });
    // Due later today whatever the hour the suite runs (a fixed 23:00 is overdue from 23:00 on).
    const laterToday = new Date((now.getTime() + at(1, 0).getTime()) / 2);
    await client.tasks.create.mutate({ title: 'Call the bank', priority: 'low', tags: ['admin'], dueAt: laterToday });
    const done = await client.tasks.create.mutate({ title: 'Bake bread', description: 'sourdough passport', dueAt: at(5) });
    await client.tasks.complete.mutate({ id: done.id });
    remount();
    await screen.findByText('Renew passport');
    const shown = () => [...document.querySelectorAll('.tasks .title')].map((label) => label.textContent);
    expect(shown()).toEqual(['Bake bread', 'Call the bank', 'Renew passport']);

    type('Search', 'passport');
    await waitFor(() => expect(shown()).toHaveLength(2));
    expect(shown()).toEqual(expect.arrayContaining(['Renew passport', 'Bake bread']));
    type('Search', '');
    await waitFor(() => expect(shown()).toHaveLength(3));

    const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(`Filter by ${label.toLowerCase()}`), { target: { value } });
    choose('Status', 'completed');
    await waitFor(() => expect(shown()).toEqual(['Bake bread']));
    choose('Status', 'pending');
    await waitFor(() => expect(shown()).toEqual(['Call the bank', 'Renew passport']));
    choose('Status', 'all');
    choose('Priority', 'high');
    await waitFor(() => expect(shown()).toEqual(['Renew passport']));
    choose('Priority', 'any');
    choose('Due date', 'overdue');
    await waitFor(() => expect(shown()).toEqual(['Renew passport']));
    choose('Due date', 'today');
    await waitFor(() => expect(shown()).toEqual(['Call the bank']));
    choose('Due date', 'upcoming');
    await waitFor(() => expect(shown()).toEqual(['Bake bread']));
    choose('Due date', 'any');
    type('Filter by tag', 'ADMIN');
    await waitFor(() => expect(shown()).toEqual(['Call the bank', 'Renew passport']), { timeout: 5_000 });
    type('Filter by tag', 'none-such');
    expect(await screen.findByText('No task matches these filters.', {}, { timeout: 5_000 })).toBeTruthy();
    type('Filter by tag', '');
    await waitFor(() => expect(shown()).toHaveLength(3), { timeout: 5_000 });

    const sorted = async (value: string, expected: string[]) => {
      fireEvent.change(screen.getByLabelText('Sort by'), { target: { value } });
      await waitFor(() => expect(shown()).toEqual(expected));
    };
    await sorted('oldest', ['Renew passport', 'Call the bank', 'Bake bread']);
    await sorted('due', ['Renew passport', 'Call the bank', 'Bake bread']);
    await sorted('priority', ['Renew passport', 'Bake bread', 'Call the bank']);
    await sorted('title', ['Bake bread', 'Call the bank', 'Renew passport']);
    await sorted('updated', ['Bake bread', 'Call the bank', 'Renew passport']);
    expect(screen.getByTestId('stat-overdue').textContent).toBe('1');
    expect(screen.getByTestId('stat-dueToday').textContent).toBe('1');
  });

  it('pages by cursor with Load more until the last page', async () => {
    const { client } = await signUp();
    for (let i = 1; i <= 45; i++) await client.tasks.create.mutate({ title: `Task ${String(i).padStart(2, '0')}` });
    remount();
    await screen.findByText('Task 45');
    const count = () => document.querySelectorAll('.tasks li').length;
    expect(count()).toBe(20);
    click('Load more');
    await waitFor(() => expect(count()).toBe(40));
    click('Load more');
    await waitFor(() => expect(count()).toBe(45));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByText('Task 01')).toBeTruthy();
  });
});

/** A reload: a new page (new query cache) with the session localStorage kept. */
function remount() {
  cleanup();
  mount();
}
