import type { FastifyInstance } from 'fastify';

export interface ServedRoute {
  method: string;
  url: string;
}

const SERVED = new WeakMap<FastifyInstance, ServedRoute[]>();

/**
 * Keeps the list of every route Fastify serves (Nest's and those mounted on Fastify directly), as
 * they are added. The OpenAPI contract test compares it with the document, so a route can be
 * neither served undocumented nor documented and gone. Must be called before any route exists.
 */
export function recordServedRoutes(fastify: FastifyInstance): void {
  const routes: ServedRoute[] = [];
  SERVED.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
}

export const servedRoutes = (fastify: FastifyInstance): readonly ServedRoute[] => SERVED.get(fastify) ?? [];
