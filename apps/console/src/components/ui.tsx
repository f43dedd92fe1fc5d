import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorBox({ error, what }: { error: unknown; what: string }) {
  const detail =
    error instanceof ApiError
      ? error.status === 404
        ? `Not found (${error.message})`
        : `${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="state error" role="alert">
      Could not load {what}. {detail}
    </div>
  );
}

/** Loading, error, or the data: the three states every panel shows the same way. */
export function QueryState<T>({ query, what, children }: { query: UseQueryResult<T>; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <ErrorBox error={query.error} what={what} />;
  return <>{children(query.data)}</>;
}

/** Times are shown in UTC, as the service stores and the API answers them. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const shown = at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC';
  return <time dateTime={at}>{shown}</time>;
}

export function Points({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="muted" title="not readable from Voucherify's data">unknown</span>;
  return <>{value.toLocaleString('en')}</>;
}

export function Signed({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="muted">unknown</span>;
  return <span className={value < 0 ? 'negative' : 'positive'}>{value > 0 ? `+${value.toLocaleString('en')}` : value.toLocaleString('en')}</span>;
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

export function Panel({ title, children, help, wide = false }: { title: string; children: ReactNode; help?: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'panel wide' : 'panel'} aria-label={title}>
      <h2>{title}</h2>
      {help && <p className="help">{help}</p>}
      {children}
    </section>
  );
}

export function Json({ text }: { text: string }) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as received
  }
  // Focusable, so a keyboard can scroll a body wider or longer than its box.
  return (
    <pre className="json" tabIndex={0} aria-label="JSON">
      {pretty}
    </pre>
  );
}

export const isApiError = (error: unknown, status: number) => error instanceof ApiError && error.status === status;
