// The app's root: one query cache and one typed client for the page, and the screen that fits the
// session (the account form, or the tasks).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { TasksClient } from '@tasks/client';
import { TRPCProvider } from '@tasks/client/react-query';
import { useState, useSyncExternalStore } from 'react';
import { AccountForm } from './account-form.tsx';
import type { Session } from './session.ts';
import { TasksScreen } from './tasks-screen.tsx';

function isRefusedByServer(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A 4xx will not change on retry; a dropped connection or a 503 may.
      queries: { staleTime: 15_000, retry: (failures, error) => !isRefusedByServer(error) && failures < 2 },
    },
  });
}

export function App({ client, session, queryClient: given }: { client: TasksClient; session: Session; queryClient?: QueryClient }) {
  const [queryClient] = useState(() => given ?? createQueryClient());
  const signedIn = useSyncExternalStore(session.subscribe, session.current);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        {/* Keyed by token: the next person starts from an empty screen, never the last one's tasks. */}
        {signedIn ? <TasksScreen key={signedIn.token} session={session} /> : <AccountForm session={session} />}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
