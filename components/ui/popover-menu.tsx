"use client";

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

/** The one menu open on the page: opening another closes it. */
let openMenu: { owner: object; close: () => void } | null = null;

type Props = {
  /** The trigger's accessible name, e.g. "Actions for SEO audit run of 3 Mar 2026, 14:05 UTC". */
  label: string;
  trigger: React.ReactNode;
  triggerClassName: string;
  align?: "start" | "end";
  width?: number;
  /**
   * "menu": a list of menuitems, moved through with the arrow keys (Tab closes it). "panel": other
   * content with controls in it (a non-modal dialog), moved through with Tab like the page.
   */
  kind?: "menu" | "panel";
  children: React.ReactNode;
};

/** What a panel's first control is, to take the focus when it opens. */
const focusable = "a[href], button:not([disabled]), select:not([disabled]), input:not([disabled]), textarea:not([disabled])";
/** Space kept between a panel and the window's edges. */
const edge = 8;
/** The least height a panel that scrolls inside is given, however little room the window has. */
const minScrollingHeight = 120;

/**
 * A menu button whose panel floats above the page (a portal with fixed position into the
 * button's landmark, flipped
 * above the button when there is no room below, scrolling inside when there is room on neither
 * side, its hidden end shaded), so no scrolling container clips it. One is
 * open at a time; Esc, Tab (focus leaving, for a panel), a click outside, scrolling or choosing an item closes it; arrow keys
 * move between items and focus returns to the button.
 */
export function PopoverMenu({ label, trigger, triggerClassName, align = "end", width = 224, kind = "menu", children }: Props) {
  const [isOpen, setIsOpen] = useState(false);
  const [position, setPosition] = useState<{ top: number; left: number; maxHeight?: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  /** Where the open panel is put: the button's landmark. */
  const [container, setContainer] = useState<Element | null>(null);
  /** Where the button was when the panel was placed beside it. */
  const placedAt = useRef<{ top: number; left: number } | null>(null);
  const menuId = useId();
  const [owner] = useState(() => ({}));

  const close = useCallback((refocus = false) => {
    setIsOpen(false);
    setPosition(null);
    if (openMenu?.owner === owner) openMenu = null;
    if (refocus) button.current?.focus();
  }, [owner]);

  const open = () => {
    if (openMenu && openMenu.owner !== owner) openMenu.close();
    openMenu = { owner, close: () => close() };
    // Inside the button's own landmark, so an open menu is not content outside every landmark.
    setContainer(button.current?.closest("main, header") ?? document.body);
    setIsOpen(true);
  };

  useLayoutEffect(() => {
    if (!isOpen || !button.current || !panel.current) return;
    const anchor = button.current.getBoundingClientRect();
    placedAt.current = { top: anchor.top, left: anchor.left };
    const height = panel.current.offsetHeight;
    // Below the button if it fits, else above; if neither (a long menu on a phone), on the roomier
    // side, as tall as the room and scrolling inside: scrolling the page to reach its last items
    // would move the button and close it.
    const [roomBelow, roomAbove] = [window.innerHeight - anchor.bottom - 4 - edge, anchor.top - 4 - edge];
    const isBelow = height <= roomBelow || (height > roomAbove && roomBelow >= roomAbove);
    const room = Math.max(minScrollingHeight, isBelow ? roomBelow : roomAbove);
    const shown = Math.min(height, room);
    const top = isBelow ? anchor.bottom + 4 : anchor.top - 4 - shown;
    const wanted = align === "end" ? anchor.right - width : anchor.left;
    setPosition({ top, left: Math.max(edge, Math.min(wanted, window.innerWidth - width - edge)), maxHeight: height > room ? room : undefined });
    // Without preventScroll the browser may scroll to the panel, not yet placed, and that scroll closes the menu it opened.
    panel.current.querySelector<HTMLElement>(kind === "menu" ? '[role="menuitem"]:not([aria-disabled="true"])' : focusable)?.focus({ preventScroll: true });
  }, [isOpen, align, width, kind]);

  useEffect(() => {
    if (!isOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
        return;
      }
      // A panel is left by Tab like the page (it sits right after its button's landmark's content);
      // focus leaving it closes it.
      if (kind === "panel") return;
      // Tab closes the menu and moves on from its button (the panel sits at the end of the page):
      // focus goes back to the button now, and the key's own move takes it to the next control.
      if (event.key === "Tab") {
        close(true);
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
      const items = [...(panel.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
      if (!items.length) return;
      event.preventDefault();
      const at = items.indexOf(document.activeElement as HTMLElement);
      const next = event.key === "Home" ? 0 : event.key === "End" ? items.length - 1 : (at + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items[next]!.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) close();
    };
    // A scroll that moved the button would leave the panel behind, so it closes the menu; one
    // that did not (a scroll event that arrives just after the click that opened it) does not.
    const onScroll = (event: Event) => {
      if (panel.current?.contains(event.target as Node)) return;
      const now = button.current?.getBoundingClientRect();
      const was = placedAt.current;
      if (!now || !was || Math.abs(now.top - was.top) > 1 || Math.abs(now.left - was.left) > 1) close();
    };
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target as Node;
      if (kind === "panel" && !panel.current?.contains(target) && !button.current?.contains(target)) close();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("pointerdown", onPointer);
    window.addEventListener("scroll", onScroll, true);
    const onResize = () => close();
    window.addEventListener("resize", onResize);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("scroll", onScroll, true);
      window.removeEventListener("resize", onResize);
    };
  }, [isOpen, close, kind]);

  useEffect(() => () => {
    if (openMenu?.owner === owner) openMenu = null;
  }, [owner]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-haspopup={kind === "menu" ? "menu" : "dialog"}
        aria-expanded={isOpen}
        aria-controls={isOpen ? menuId : undefined}
        className={triggerClassName}
        onClick={() => (isOpen ? close() : open())}
      >
        {trigger}
      </button>
      {isOpen && container && createPortal(
        <div
          ref={panel}
          id={menuId}
          role={kind === "menu" ? "menu" : "dialog"}
          aria-label={label}
          style={{ position: "fixed", top: position?.top ?? -9999, left: position?.left ?? -9999, width, maxHeight: position?.maxHeight }}
          className={`z-50 overflow-y-auto overscroll-contain rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg ${position?.maxHeight ? "scroll-shadows" : ""}`}
          onClick={(event) => {
            const item = (event.target as HTMLElement).closest('[role="menuitem"]');
            if (item && item.getAttribute("aria-disabled") !== "true") close();
          }}
        >
          {children}
        </div>,
        container,
      )}
    </>
  );
}

/** The look of an entry in a PopoverMenu. */
export const menuItemClass = "block w-full px-3 py-1.5 text-left hover:bg-slate-100 focus:bg-slate-100 focus:outline-none";
export const unavailableMenuItemClass = "block w-full cursor-not-allowed px-3 py-1.5 text-left text-slate-500 focus:bg-slate-100 focus:outline-none";
