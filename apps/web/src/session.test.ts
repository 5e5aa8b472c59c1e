// The session store and the token handed over in the address, on a Map-backed storage.
import { describe, expect, it } from 'vitest';
import { describeRefusal, fieldMessage } from './server-errors.ts';
import { createSession, takeTokenFromUrl } from './session.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
    values,
  };
}

function storageEvents() {
  const listeners = new Set<() => void>();
  return {
    addEventListener: (_type: 'storage', listener: () => void) => void listeners.add(listener),
    removeEventListener: (_type: 'storage', listener: () => void) => void listeners.delete(listener),
    fire: () => listeners.forEach((listener) => listener()),
    listeners,
  };
}

describe('session', () => {
  it('keeps the token across instances (a reload) and forgets it on sign-out', () => {
    const storage = memoryStorage();
    createSession(storage).signIn({ token: 'abc', email: 'a@example.com' });
    const reloaded = createSession(storage);
    expect(reloaded.token()).toBe('abc');
    expect(reloaded.current()?.email).toBe('a@example.com');
    reloaded.signOut();
    expect(createSession(storage).token()).toBeNull();
  });

  it('treats a value it did not write as signed out', () => {
    expect(createSession(memoryStorage({ 'tasks.session': '{not json' })).token()).toBeNull();
    expect(createSession(memoryStorage({ 'tasks.session': '{"token":42}' })).token()).toBeNull();
  });

  it('follows another tab signing in or out, and stops listening when nobody subscribes', () => {
    const storage = memoryStorage();
    const events = storageEvents();
    const session = createSession(storage, events);
    let changes = 0;
    const unsubscribe = session.subscribe(() => changes++);
    createSession(storage).signIn({ token: 'other-tab' });
    events.fire();
    expect(session.token()).toBe('other-tab');
    expect(changes).toBe(1);
    unsubscribe();
    expect(events.listeners.size).toBe(0);
  });
});

describe('takeTokenFromUrl', () => {
  it('takes ?token= out of the address and keeps the rest', () => {
    expect(takeTokenFromUrl('http://127.0.0.1:8000/tasks?token=eyJ.x.y&tab=2#top')).toEqual({ token: 'eyJ.x.y', url: '/tasks?tab=2#top' });
    expect(takeTokenFromUrl('http://127.0.0.1:8000/?token=%20')).toEqual({ token: null, url: '/' });
    expect(takeTokenFromUrl('http://127.0.0.1:8000/')).toEqual({ token: null, url: '/' });
  });
});

describe('describeRefusal', () => {
  it('keys field issues by path, first per field, and finds an item’s issue by its field', () => {
    const error = Object.assign(new Error('tags.1: too long; tags.1: again; title: empty'), {
      data: { code: 'BAD_REQUEST', issues: [{ path: 'tags.1', message: 'too long' }, { path: 'tags.1', message: 'again' }, { path: 'title', message: 'empty' }] },
    });
    const refusal = describeRefusal(error);
    expect(refusal).toEqual({ message: 'too long; empty', fields: { 'tags.1': 'too long', title: 'empty' }, code: 'BAD_REQUEST' });
    expect(fieldMessage(refusal, 'tags')).toBe('too long');
    expect(fieldMessage(refusal, 'description')).toBeUndefined();
    expect(fieldMessage(null, 'title')).toBeUndefined();
  });

  it('a failure with no answer from the server says so', () => {
    expect(describeRefusal(new TypeError('Failed to fetch')).message).toMatch(/could not be reached/);
    expect(describeRefusal(Object.assign(new Error('Task not found'), { data: { code: 'NOT_FOUND' } }))).toEqual({ message: 'Task not found', fields: {}, code: 'NOT_FOUND' });
  });
});
