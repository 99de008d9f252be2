/**
 * The address of an engine's endpoint under a configured base. The path is joined to the base's own
 * path, so a base with a prefix (a mirror at /google/) keeps it; unset parameters are left out.
 */
export function searchEndpoint(
  base: string,
  path: string,
  params: Record<string, string | number | undefined>,
): string {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.toString();
}
