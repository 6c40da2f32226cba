/** The four views, addressed by the URL hash so links survive any static host. */
export const ROUTES = ['explorer', 'stock', 'digits', 'why'] as const;
export type Route = (typeof ROUTES)[number];

export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[?/]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'explorer';
}
