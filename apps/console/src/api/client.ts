import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session } from '../auth/session';

/**
 * The one way the console talks to the service: the public REST API, typed from the service's own
 * OpenAPI document (openapi.json → schema.d.ts by openapi-typescript; a test fails when the
 * committed copy differs from what the service serves). The operator's token goes on every
 * request; a 401 signs the operator out, which brings back the sign-in.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

const withToken: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) session.expired();
    return response;
  },
};
api.use(withToken);

/** An answer other than 2xx, with the service's error body (`{status, code, message}`) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a 2xx answer, or an ApiError saying what the service said. Its type is the one
 * openapi-fetch read from the OpenAPI document for that route, never asserted by a caller: a view
 * that read one route's answer as another's shape showed "unknown" for every point it listed.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const body = (error ?? {}) as { code?: string; message?: string | string[] };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new ApiError(response.status, body.code, message ?? `${response.status} ${response.statusText}`);
  }
  return data as T;
}

/** Plain requests for what is not JSON (CSV, SSE), with the same token and the same 401 rule. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token();
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) session.expired();
  return response;
}

/**
 * A route that also answers CSV (Accept: text/csv, the downloads), asked for JSON: its JSON. The
 * generated type is `T | string`; a string here means the service answered CSV after all.
 */
export const jsonOnly =
  (what: string) =>
  <T>(answer: T | string): T => {
    if (typeof answer === 'string') throw new Error(`${what} came back as CSV where JSON was asked for`);
    return answer;
  };
