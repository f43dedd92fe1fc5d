import { FormEvent, ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * Filters live in the URL's query, so a filtered view is a link an operator can share. The form
 * applies on submit (Enter in any field), and a reset clears them.
 */
export function useUrlFilters(names: readonly string[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<string, string>;
  const apply = (form: HTMLFormElement) => {
    const next = new URLSearchParams(params);
    const data = new FormData(form);
    for (const name of names) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };
  const clear = () => {
    const next = new URLSearchParams(params);
    names.forEach((n) => next.delete(n));
    setParams(next);
  };
  return { values, apply, clear, params, setParams };
}

export function FilterForm({ onApply, onClear, children, label }: { onApply: (form: HTMLFormElement) => void; onClear: () => void; children: ReactNode; label: string }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(event.currentTarget);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label={label}>
      {children}
      <div className="actions">
        <button type="submit">Apply</button>
        <button type="reset" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** `<input type="datetime-local">` ("2024-05-01T10:00", seconds optional) is read as UTC: the service's times are UTC. */
export const localInputToIso = (value: string): string | undefined => (value ? `${value}${value.length === 16 ? ':00' : ''}Z` : undefined);
