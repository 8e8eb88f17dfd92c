import type { FastifyInstance } from 'fastify';

/**
 * Every API route declares who may call it, in its route config. A route without a declared
 * policy refuses to register, so a route added later cannot be open by accident.
 */
export type RoutePolicy =
  /** Public reference data such as the national divisions, and logging in. */
  | { kind: 'public' }
  /** Any logged-in user, whatever the role (their own session, their own profile). */
  | { kind: 'authenticated' }
  /** The roles a domain's policy module allows for this action; scope is checked by the service. */
  | { kind: 'action'; action: string }
  /**
   * A machine client's key (Open311's `api_key`), checked by the route's own domain: the key acts
   * as the role and scope it was issued with, and that role must allow the action.
   */
  | { kind: 'apiKey'; action: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

export const publicRoute: RoutePolicy = { kind: 'public' };
export const authenticatedRoute: RoutePolicy = { kind: 'authenticated' };
export const action = (name: string): RoutePolicy => ({ kind: 'action', action: name });
export const apiKeyAction = (name: string): RoutePolicy => ({ kind: 'apiKey', action: name });

export interface DeclaredRoute {
  method: string;
  url: string;
  policy: RoutePolicy;
}

/**
 * Refuses API routes (/api/v1 and /open311) without a policy (or naming an action no policy module declares) and
 * returns the list of those declared, which the permission tests walk: a route added later is
 * in it without anyone remembering to add it.
 */
export function requireRoutePolicies(app: FastifyInstance, knownActions: ReadonlySet<string>): DeclaredRoute[] {
  const declared: DeclaredRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') && !route.url.startsWith('/open311/')) return;
    const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
    if (!policy) throw new Error(`Route ${String(route.method)} ${route.url} declares no policy`);
    if ((policy.kind === 'action' || policy.kind === 'apiKey') && !knownActions.has(policy.action)) {
      throw new Error(`Route ${String(route.method)} ${route.url} names unknown action ${policy.action}`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declared.push({ method, url: route.url, policy });
    }
  });
  return declared;
}
