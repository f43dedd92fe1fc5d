import { useState, type FormEvent } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useAccess } from './auth/auth';
import { session } from './auth/session';

const VIEWS = [
  { to: '/', label: 'Overview', end: true },
  { to: '/inbox', label: 'Inbox' },
  { to: '/customers', label: 'Customers' },
  { to: '/projections', label: 'Projections' },
  { to: '/reports', label: 'Reports' },
  { to: '/reconciliation', label: 'Reconciliation' },
  { to: '/erasures', label: 'Erasures' },
];

const ACCESS_LABEL = { open: 'open access (no read tokens set)', read: 'read token', admin: 'admin token' } as const;

export function Layout() {
  const access = useAccess();
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav aria-label="Views">
        <div className="brand">Loyalty ledger</div>
        <QuickSearch />
        <ul>
          {VIEWS.map((v) => (
            <li key={v.to}>
              <NavLink to={v.to} end={v.end}>
                {v.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <div className="who">
          <span>Signed in with: {ACCESS_LABEL[access]}</span>
          {access === 'open' ? (
            <button onClick={() => session.askSignIn()} title="Sign in with the admin token to act">
              Use a token
            </button>
          ) : (
            <button onClick={() => session.signOut()}>Sign out</button>
          )}
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** On every page: find a customer by what support has (email, name, phone, card code, source id). */
function QuickSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) navigate(`/customers?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form className="quick-search" role="search" onSubmit={submit}>
      <label>
        <span>Find a customer</span>
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="email, name, phone, card…" />
      </label>
    </form>
  );
}
