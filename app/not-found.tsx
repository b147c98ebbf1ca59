import Link from "next/link";
import { connection } from "next/server";

/**
 * Rendered for each request, never prerendered: the Content-Security-Policy's nonce is fresh per
 * answer (proxy.ts), and a page built ahead of time would carry scripts without it, which the
 * browser refuses.
 */
export default async function NotFound() {
  await connection();
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-500">There is nothing at this address, or part of it is not something Runlog can read.</p>
      <Link href="/executions" className="mt-6 inline-block text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Go to past executions</Link>
    </main>
  );
}
