// Who is signed in: the token (and the email it was issued for) kept in localStorage, so a reload
// stays signed in and every tab shares one session. The client reads the token on each request.

const KEY = 'tasks.session';

export interface SessionState {
  token: string;
  /** Shown in the header; absent for a token brought from an identity provider. */
  email?: string | undefined;
}

export interface Session {
  current(): SessionState | null;
  token(): string | null;
  signIn(state: SessionState): void;
  signOut(): void;
  subscribe(listener: () => void): () => void;
}

/** Minimal parts of `Storage` and `window` used, so tests can hand in their own. */
type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
interface StorageEvents {
  addEventListener(type: 'storage', listener: () => void): void;
  removeEventListener(type: 'storage', listener: () => void): void;
}

function read(store: KeyValueStore): SessionState | null {
  try {
    const value: unknown = JSON.parse(store.getItem(KEY) ?? 'null');
    if (value && typeof value === 'object' && typeof (value as SessionState).token === 'string') return value as SessionState;
  } catch {
    // A value this app did not write: treat it as signed out, and the next sign-in replaces it.
  }
  return null;
}

export function createSession(store: KeyValueStore, events?: StorageEvents): Session {
  let state = read(store);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  // Another tab signed in or out: follow it, so no tab keeps showing the previous person's tasks.
  const onStorage = () => {
    state = read(store);
    changed();
  };
  return {
    current: () => state,
    token: () => state?.token ?? null,
    signIn(next) {
      state = next;
      store.setItem(KEY, JSON.stringify(next));
      changed();
    },
    signOut() {
      state = null;
      store.removeItem(KEY);
      changed();
    },
    subscribe(listener) {
      if (listeners.size === 0) events?.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) events?.removeEventListener('storage', onStorage);
      };
    },
  };
}

/**
 * A token handed over in the address (`/?token=eyJ…`, e.g. by an identity provider's redirect), and
 * the address without it, so it does not stay in the history or get copied along with the link.
 */
export function takeTokenFromUrl(href: string): { token: string | null; url: string } {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  url.searchParams.delete('token');
  return { token: token?.trim() || null, url: `${url.pathname}${url.search}${url.hash}` };
}
