/**
 * The operator's token lives in sessionStorage: it goes with the tab, never to disk for good.
 * A read token shows; the admin token also acts (rebuilds, retries) and sees refused deliveries.
 */
const KEY = 'ledger-console-token';
type Listener = () => void;
const listeners = new Set<Listener>();
let signInAsked = false;

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  /** Whether the operator asked for the sign-in while the API is open (to act with the admin token). */
  signInAsked(): boolean {
    return signInAsked;
  },
  askSignIn(): void {
    signInAsked = true;
    listeners.forEach((l) => l());
  },
  signIn(token: string): void {
    signInAsked = false;
    sessionStorage.setItem(KEY, token);
    listeners.forEach((l) => l());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  /** A 401: the token is wrong or was withdrawn. */
  expired(): void {
    if (sessionStorage.getItem(KEY) !== null) sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
