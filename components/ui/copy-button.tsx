"use client";

import { useState } from "react";

/** Copies a value (an execution id for support) and says so for a moment. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [isCopied, setIsCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      className="ml-2 rounded border border-slate-300 px-1.5 py-0.5 text-xs text-slate-600 hover:bg-slate-50"
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setIsCopied(true);
        setTimeout(() => setIsCopied(false), 1500);
      }}
    >
      {isCopied ? "Copied" : "Copy"}
    </button>
  );
}
