import type { FastifyInstance } from 'fastify';

/**
 * Every API route declares who may call it, in its route config. A route without a declared
 * policy refuses to register, so a route added later cannot be open by accident.
 */
export type RoutePolicy =
  /** Public reference data such as the national divisions. */
  | { kind: 'public' }
  /** Decided by a domain's policy module; the name is what the accounts module enforces. */
  | { kind: 'action'; action: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

export const publicRoute: RoutePolicy = { kind: 'public' };
export const action = (name: string): RoutePolicy => ({ kind: 'action', action: name });

export interface DeclaredRoute {
  method: string;
  url: string;
  policy: RoutePolicy;
}

/**
 * Refuses API routes without a policy and returns the list of those declared, which the
 * permission tests walk: a route added later is in it without anyone remembering to add it.
 */
export function requireRoutePolicies(app: FastifyInstance): DeclaredRoute[] {
  const declared: DeclaredRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
    if (!policy) throw new Error(`Route ${String(route.method)} ${route.url} declares no policy`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declared.push({ method, url: route.url, policy });
    }
  });
  return declared;
}
