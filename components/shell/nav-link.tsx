"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const path = href.split("?")[0]!;
  const isActive = pathname === path || pathname.startsWith(`${path}/`);
  return (
    <Link
      href={href}
      aria-current={isActive ? "page" : undefined}
      className={`block rounded-md px-2 py-1.5 ${isActive ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
    >
      {children}
    </Link>
  );
}
