"use client";

import { useEffect, useState } from "react";

/** A page that failed to render; when the database is the reason, it says so (the health check knows). */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [isDatabaseDown, setIsDatabaseDown] = useState(false);
  useEffect(() => {
    let isActive = true;
    fetch("/api/health", { cache: "no-store" })
      .then(async (response) => (await response.json()) as { database?: string })
      .then((health) => isActive && setIsDatabaseDown(health.database === "down"))
      .catch(() => {});
    return () => {
      isActive = false;
    };
  }, []);
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <h1 className="text-xl font-semibold">{isDatabaseDown ? "Runlog is unavailable" : "Something went wrong"}</h1>
      <p className="mt-2 text-slate-500">
        {isDatabaseDown ? "The database is unreachable; try again in a moment." : "The page could not be shown. Try again; if it keeps happening, tell us what you were doing."}
      </p>
      <button onClick={reset} className="mt-6 rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">Try again</button>
    </main>
  );
}
