/** A query string as a route handler gets it (URLSearchParams) or a page does (its searchParams). */
export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every value given for `key`. */
export function queryValues(params: QueryParams, key: string): string[] {
  return params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
}

/** The first value given for `key`, or null when it is missing or empty. */
export function queryValue(params: QueryParams, key: string): string | null {
  return queryValues(params, key)[0] || null;
}
