import { createContext, FormEvent, ReactNode, useCallback, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { session } from './session';

/** What the operator may do: `open` = the read API has no tokens (development), `read`, or `admin` (also acts). */
export type Access = 'open' | 'read' | 'admin';

const AccessContext = createContext<Access>('read');
export const useAccess = () => useContext(AccessContext);

/** Asks the service what the current token (or none) opens: a read route, then an admin route. */
async function probe(token: string | null): Promise<Access | 'signed-out' | 'unreachable'> {
  const headers: HeadersInit = token ? { authorization: `Bearer ${token}` } : {};
  try {
    const read = await fetch('/projections', { headers });
    if (read.status === 401) return 'signed-out';
    if (!read.ok) return 'unreachable';
    if (!token) return 'open';
    const admin = await fetch('/admin/projections', { headers });
    return admin.ok ? 'admin' : 'read';
  } catch {
    return 'unreachable';
  }
}

/** Shows the app once the service has accepted the token (or needs none); the sign-in otherwise. */
export function AuthGate({ children }: { children: ReactNode }) {
  const token = useSyncExternalStore(session.subscribe, session.token);
  const signInAsked = useSyncExternalStore(session.subscribe, session.signInAsked);
  const [state, setState] = useState<Access | 'checking' | 'signed-out' | 'unreachable'>('checking');
  const [rejected, setRejected] = useState(false);

  const check = useCallback(async () => {
    setState('checking');
    const result = await probe(token);
    if (result === 'signed-out' && token) {
      session.signOut();
      setRejected(true);
    }
    setState(result);
  }, [token]);

  useEffect(() => {
    void check();
  }, [check]);

  if (state === 'checking') return <p className="state loading" role="status">Connecting to the ledger…</p>;
  if (state === 'unreachable')
    return (
      <div className="state error" role="alert">
        <p>The ledger service does not answer.</p>
        <button onClick={() => void check()}>Try again</button>
      </div>
    );
  if (state === 'signed-out' || signInAsked) return <SignIn rejected={rejected} />;
  return <AccessContext.Provider value={state}>{children}</AccessContext.Provider>;
}

export function SignIn({ rejected }: { rejected: boolean }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) session.signIn(value.trim());
  };
  return (
    <main className="sign-in">
      <h1>Loyalty ledger console</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Access token</label>
        <p className="hint">
          Paste a read token (one of the service's <code>READ_TOKENS</code>) to look, or the admin token (<code>ADMIN_TOKEN</code>) to also
          rebuild projections, retry parked events and see refused deliveries. It is kept in this browser tab only.
        </p>
        <input id="token" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        {rejected && (
          <p className="error" role="alert">
            The service did not accept that token.
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
