// Which requests the middleware lets through without a token, read from the access declaration (access.ts).
// Only the middleware needs these matchers; routes know their own declaration.
import { API_ROUTES, PUBLIC_PAGES, type Access, type ApiPath } from './access.ts';

/** `[id]` matches one segment, `[...rest]` one or more, `[[...rest]]` none or more; other segments themselves. */
export function routePattern(route: string): RegExp {
  const source = route.replace(/\/(\[\[\.\.\.\w+\]\]|\[\.\.\.\w+\]|\[\w+\]|[^/]+)/g, (_, segment: string) => {
    if (segment.startsWith('[[...')) return '(?:/[^/]+)*';
    if (segment.startsWith('[...')) return '(?:/[^/]+)+';
    if (segment.startsWith('[')) return '/[^/]+';
    return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  });
  return new RegExp(`^${source}$`);
}

/** More specific first, as Next.js routes: a fixed segment beats `[id]`, which beats a catch-all. */
const rank = (route: string) =>
  route.includes('[[...') ? 3 : route.includes('[...') ? 2 : route.includes('[') ? 1 : 0;

const API_PATTERNS = (Object.keys(API_ROUTES) as ApiPath[])
  .sort((a, b) => rank(a) - rank(b))
  .map((route) => ({ route, pattern: routePattern(route) }));
const PAGE_PATTERNS = PUBLIC_PAGES.map(routePattern);

/** The declared API route a request path reaches, if any. */
export function apiRouteOf(pathname: string): ApiPath | undefined {
  return API_PATTERNS.find(({ pattern }) => pattern.test(pathname))?.route;
}

/**
 * Whether the middleware lets a request through without a token: a public page, a method declared public, or a
 * method a public route does not serve (the route itself answers 405 with what it allows).
 */
export function isPublic(pathname: string, method: string): boolean {
  if (PAGE_PATTERNS.some((pattern) => pattern.test(pathname))) return true;
  const route = apiRouteOf(pathname);
  if (!route) return false;
  const declared = API_ROUTES[route] as Partial<Record<string, Access>>;
  const access = declared[method === 'HEAD' ? 'GET' : method];
  if (access) return access === 'public';
  return Object.values(declared).includes('public');
}
