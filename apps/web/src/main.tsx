// The browser entry: the session from localStorage (or a `?token=` handed over), the typed client on
// this origin's /trpc, and the app.
import { createTasksClient } from '@tasks/client';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createSession, takeTokenFromUrl } from './session.ts';
import './styles.css';

const session = createSession(window.localStorage, window);
const handedOver = takeTokenFromUrl(window.location.href);
if (handedOver.token) {
  session.signIn({ token: handedOver.token });
  window.history.replaceState(null, '', handedOver.url);
}
const client = createTasksClient({ url: '/trpc', token: () => session.token() });
createRoot(document.getElementById('root')!).render(<App client={client} session={session} />);
