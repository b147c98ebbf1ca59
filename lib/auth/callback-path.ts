/**
 * Where sign-in sends a person afterwards: a path on this site, or the history. A browser
 * reads `/\evil.example` and `/<tab>/evil.example` as `//evil.example` (another site), so the
 * value is resolved as the browser would and kept only when it stays on this origin, and only
 * as its path, query and fragment.
 */
export function safeCallbackPath(value: string | undefined, fallback = "/executions"): string {
  if (!value || !value.startsWith("/") || /[\\\u0000-\u001F\u007F]/.test(value)) return fallback;
  const base = "http://runlog.invalid";
  let resolved: URL;
  try {
    resolved = new URL(value, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base || resolved.pathname.startsWith("//")) return fallback;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
