// Signing up or in with the server's own accounts (`auth.signUp`, `auth.signIn`), or, where tokens
// come from an identity provider (JWKS mode), pasting a token from it.
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '@tasks/client/react-query';
import { useState, type FormEvent } from 'react';
import { FieldError } from './field-error.tsx';
import { describeRefusal, fieldMessage, type Refusal } from './server-errors.ts';
import type { Session } from './session.ts';

export function AccountForm({ session }: { session: Session }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const onSession = { onSuccess: (answer: { token: string; user: { email: string } }) => session.signIn({ token: answer.token, email: answer.user.email }) };
  const signIn = useMutation(trpc.auth.signIn.mutationOptions(onSession));
  const signUp = useMutation(trpc.auth.signUp.mutationOptions(onSession));
  const active = signUp.isPending || signUp.isError ? signUp : signIn;
  const refusal: Refusal | null = active.error ? describeRefusal(active.error) : null;
  const busy = signIn.isPending || signUp.isPending;

  // Enter in any field signs in; "Sign up" is the other button.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.reset();
    signIn.mutate({ email, password });
  };
  const register = () => {
    signIn.reset();
    signUp.mutate({ email, password, name });
  };
  const useToken = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) session.signIn({ token: token.trim() });
  };

  return (
    <main className="account">
      <h1>Tasks</h1>
      <form onSubmit={submit} aria-labelledby="account-heading" noValidate>
        <h2 id="account-heading">Sign in or create an account</h2>
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(fieldMessage(refusal, 'email'))} aria-describedby="email-error" />
        <FieldError id="email-error" message={fieldMessage(refusal, 'email')} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(fieldMessage(refusal, 'password'))} aria-describedby="password-error" />
        <FieldError id="password-error" message={fieldMessage(refusal, 'password')} />
        <label htmlFor="name">Name</label>
        <input id="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(fieldMessage(refusal, 'name'))} aria-describedby="name-hint name-error" />
        <p id="name-hint" className="hint">Needed to sign up only.</p>
        <FieldError id="name-error" message={fieldMessage(refusal, 'name')} />
        {refusal && Object.keys(refusal.fields).length === 0 ? <p role="alert" className="error">{refusal.message}</p> : null}
        <div className="buttons">
          <button type="submit" disabled={busy}>Sign in</button>
          <button type="button" onClick={register} disabled={busy}>Sign up</button>
        </div>
      </form>
      <details>
        <summary>Use a token from your identity provider</summary>
        <form onSubmit={useToken}>
          <label htmlFor="token">Token</label>
          <textarea id="token" rows={3} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} />
          <button type="submit">Use this token</button>
        </form>
      </details>
    </main>
  );
}
