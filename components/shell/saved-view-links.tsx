"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

export type SidebarView = { id: string; name: string; href: string; isShared: boolean; isDefault: boolean };

/** The saved views under Past executions; the one open now is marked as the current page. */
export function SavedViewLinks({ views }: { views: SidebarView[] }) {
  const pathname = usePathname();
  const open = useSearchParams().get("view");
  if (views.length === 0) return null;
  return (
    <ul aria-label="Saved views" className="ml-3 border-l border-slate-200 pl-2">
      {views.map((view) => {
        const isActive = pathname === "/executions" && open === view.id;
        return (
          <li key={view.id}>
            <Link
              href={view.href}
              aria-current={isActive ? "page" : undefined}
              className={`block truncate rounded-md px-2 py-1 text-sm ${isActive ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
            >
              {view.name}
              {(view.isShared || view.isDefault) && <span className="ml-1 text-xs text-slate-500">{[view.isShared && "shared", view.isDefault && "default"].filter(Boolean).join(" · ")}</span>}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
