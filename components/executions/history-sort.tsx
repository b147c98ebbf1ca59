"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { defaultSort, type SortColumn } from "@/lib/executions/list-filter";

/**
 * A column header that sorts the list by it: largest (or newest) first on the first click,
 * then the other way. The link keeps the filters and starts again at the first page.
 */
export function SortableHeader({ column, align = "left", children }: { column: SortColumn; align?: "left" | "right"; children: string }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const by = params.get("sort") ?? defaultSort.by;
  const direction = params.get("dir") === "asc" ? "asc" : "desc";
  const isCurrent = by === column;
  const next = new URLSearchParams(params);
  for (const key of ["after", "before", "sort", "dir"]) next.delete(key);
  if (column !== defaultSort.by) next.set("sort", column);
  if (isCurrent && direction === "desc") next.set("dir", "asc");
  const query = next.toString();
  const arrow = !isCurrent ? "↕" : direction === "desc" ? "↓" : "↑";
  return (
    <th scope="col" aria-sort={isCurrent ? (direction === "desc" ? "descending" : "ascending") : undefined} className={align === "right" ? "text-right" : undefined}>
      <Link href={`${pathname}${query ? `?${query}` : ""}`} className="inline-flex items-center gap-1 uppercase hover:text-slate-900" title={`Sort by ${children.toLowerCase()}`}>
        {children}
        <span aria-hidden className={isCurrent ? "text-slate-900" : "text-slate-500"}>{arrow}</span>
      </Link>
    </th>
  );
}
