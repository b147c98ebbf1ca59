"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * The navigation on a narrow screen: a menu button that opens it as a modal panel from the
 * left (Esc or the close button shuts it, focus stays inside while open); following a link
 * closes it. Its links are rendered only while it is open: the sidebar already holds them, and
 * rendering them twice on every page cost the server as much again (bench/README.md).
 */
export function MobileNav({ children }: { children: React.ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pathname = usePathname();
  const [isOpen, setIsOpen] = useState(false);
  useEffect(() => {
    dialog.current?.close();
  }, [pathname]);
  useEffect(() => {
    if (isOpen && !dialog.current?.open) dialog.current?.showModal();
  }, [isOpen]);
  return (
    <>
      <button
        type="button"
        aria-label="Menu"
        aria-haspopup="dialog"
        className="-ml-1.5 rounded-md p-1.5 text-slate-700 hover:bg-slate-100 md:hidden"
        onClick={() => setIsOpen(true)}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round">
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
      </button>
      <dialog
        ref={dialog}
        aria-label="Navigation"
        className="m-0 h-full max-h-none w-72 max-w-[85vw] border-r border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
        onClose={() => setIsOpen(false)}
        onClick={(event) => {
          // A click on the backdrop (the dialog element itself, outside its panel) or on a link closes it.
          if (event.target === event.currentTarget || (event.target as HTMLElement).closest("a")) dialog.current?.close();
        }}
      >
        <div className="flex items-center justify-between px-5 py-4">
          <span className="text-base font-semibold tracking-tight">Runlog</span>
          <button type="button" className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100" onClick={() => dialog.current?.close()}>Close</button>
        </div>
        <div className="px-3 pb-6">{isOpen && children}</div>
      </dialog>
    </>
  );
}
