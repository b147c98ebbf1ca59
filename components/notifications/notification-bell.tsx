"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { LocalTime } from "@/components/ui/local-time";
import { NotificationLink } from "./notification-link";

type Notice = { id: string; kind: string; title: string; body: string; href: string | null; createdAt: string; isRead: boolean };

const pollMs = 4_000;

/** The header's bell: unread count, kept fresh by polling, and the newest notices on click. */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [isOpen, setIsOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popup = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    try {
      const response = await fetch("/api/notifications?limit=8", { cache: "no-store" });
      if (!response.ok) return;
      const inbox = (await response.json()) as { unread: number; notifications: Notice[] };
      setUnread(inbox.unread);
      setNotices(inbox.notifications);
    } catch {
      // offline for a moment: the next poll tries again
    }
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, pollMs);
    return () => clearInterval(timer);
  }, [refresh]);

  // Open, the panel takes the focus (its notices may still be loading). Esc closes it and gives the
  // focus back to the bell; a click outside it, or Tab past its last link, closes it.
  useEffect(() => {
    if (!isOpen) return;
    popup.current?.focus();
    const close = (event: MouseEvent) => {
      if (!panel.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      setIsOpen(false);
      button.current?.focus();
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!panel.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", onKey);
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocusIn);
    };
  }, [isOpen]);

  const label = unread === 0 ? "Notifications" : `Notifications, ${unread >= 100 ? "99+" : unread} unread`;
  return (
    <div className="relative" ref={panel}>
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        onClick={() => {
          setIsOpen(!isOpen);
          if (!isOpen) void refresh();
        }}
        className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8}>
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinejoin="round" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" />
        </svg>
        {unread > 0 && (
          <span data-testid="notification-count" className="absolute -right-1 -top-1 min-w-4 rounded-full bg-rose-600 px-1 text-center text-[10px] font-semibold leading-4 text-white">
            {unread >= 100 ? "99+" : unread}
          </span>
        )}
      </button>
      {isOpen && (
        <div ref={popup} role="dialog" aria-label="Notifications" tabIndex={-1} className="absolute right-0 z-30 mt-1 w-96 rounded-md border border-slate-200 bg-white shadow-lg">
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {notices === null && <li className="px-4 py-6 text-center text-slate-500">Loading…</li>}
            {notices?.length === 0 && <li className="px-4 py-6 text-center text-slate-500">Nothing yet.</li>}
            {notices?.map((notice) => (
              <li key={notice.id}>
                <NotificationLink id={notice.id} href={notice.href} className={`block px-4 py-2.5 hover:bg-slate-50 ${notice.isRead ? "text-slate-500" : ""}`}>
                  <span className={`block ${notice.isRead ? "" : "font-medium text-slate-900"}`}>{notice.title}</span>
                  <span className="line-clamp-2 block text-slate-500">{notice.body}</span>
                  <span className="block text-xs text-slate-500"><LocalTime iso={notice.createdAt} /></span>
                </NotificationLink>
              </li>
            ))}
          </ul>
          <div className="border-t border-slate-100 px-4 py-2 text-right">
            <Link href="/notifications" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" onClick={() => setIsOpen(false)}>All notifications</Link>
          </div>
        </div>
      )}
    </div>
  );
}
