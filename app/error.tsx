"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-500">The page could not be shown. Try again; if it keeps happening, tell us what you were doing.</p>
      <button onClick={reset} className="mt-6 rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">Try again</button>
    </main>
  );
}
