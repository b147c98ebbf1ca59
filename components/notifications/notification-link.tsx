"use client";

import Link from "next/link";

/** A notice's deep link; following it marks the notice read (a beacon that survives the navigation). */
export function NotificationLink({ id, href, className, children }: { id: string; href: string | null; className?: string; children: React.ReactNode }) {
  return (
    <Link
      href={href ?? "/notifications"}
      className={className}
      onClick={() => {
        void fetch(`/api/notifications/${id}/read`, { method: "POST", keepalive: true }).catch(() => {});
      }}
    >
      {children}
    </Link>
  );
}
