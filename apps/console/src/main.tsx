import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { ApiError } from './api/client';
import { AuthGate } from './auth/auth';
import { Layout } from './layout';
import { CustomerSearch, CustomerView } from './views/customer';
import { ErasuresView } from './views/erasures';
import { EventView } from './views/event';
import { InboxView } from './views/inbox';
import { OverviewView } from './views/overview';
import { ProjectionsView } from './views/projections';
import { ReconciliationRunView, ReconciliationView } from './views/reconciliation';
import { ReportsView } from './views/reports';
import { StatementView } from './views/statement';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a dropped connection may.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** Every view has its own URL below /console, so a link to an event, a customer or a date can be shared. */
const router = createBrowserRouter(
  [
    {
      element: <Layout />,
      children: [
        { index: true, element: <OverviewView /> },
        { path: 'inbox', element: <InboxView /> },
        { path: 'events/:eventId', element: <EventView /> },
        { path: 'customers', element: <CustomerSearch /> },
        { path: 'customers/:customerId', element: <CustomerView /> },
        { path: 'customers/:customerId/statement', element: <StatementView /> },
        { path: 'projections', element: <ProjectionsView /> },
        { path: 'reports', element: <ReportsView /> },
        { path: 'reconciliation', element: <ReconciliationView /> },
        { path: 'reconciliation/:runId', element: <ReconciliationRunView /> },
        { path: 'erasures', element: <ErasuresView /> },
        { path: '*', element: <p className="state empty">No such page. Pick a view on the left.</p> },
      ],
    },
  ],
  { basename: '/console' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <RouterProvider router={router} />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);
