import Link from "next/link";
import { buttonClass } from "./button";

export const filterField = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

/**
 * A GET form of filters that keeps them in the URL (shareable, back button works): the
 * caller's labelled fields, then Filter and Clear.
 */
export function FilterBar({ label, action, clearHref, children }: { label: string; action: string; clearHref: string; children: React.ReactNode }) {
  return (
    <form role="search" aria-label={label} action={action} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      {children}
      <button type="submit" className={buttonClass("secondary")}>Filter</button>
      <Link href={clearHref} className={buttonClass("ghost")}>Clear</Link>
    </form>
  );
}

export function FilterField({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-slate-500">{label}</span>
      {children}
    </label>
  );
}
