"use client";

import { createContext, useCallback, useContext, useEffect, useState } from "react";

type Toast = { id: number; text: string; isError: boolean };
type Show = (text: string, options?: { isError?: boolean }) => void;

const ToastContext = createContext<Show>(() => {});

/** Outcomes of what people did ("Approved 3.", "Deleted 1 execution."), as toasts that do not block the page. */
export function useToast(): Show {
  return useContext(ToastContext);
}

let nextId = 1;

/**
 * Holds the toasts of the pages inside it, bottom right (bottom across on a phone). A success
 * goes after 6 s, an error stays until closed; both are announced (status / alert).
 */
export function Toaster({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>((text, options) => {
    const id = nextId++;
    setToasts((all) => [...all.slice(-3), { id, text, isError: options?.isError ?? false }]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="pointer-events-none fixed inset-x-3 bottom-3 z-[55] flex flex-col items-end gap-2 sm:inset-x-auto sm:right-6 sm:w-96">
        {toasts.map((toast) => <ToastItem key={toast.id} toast={toast} onDismiss={() => dismiss(toast.id)} />)}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  useEffect(() => {
    if (toast.isError) return;
    const timer = setTimeout(onDismiss, 6_000);
    return () => clearTimeout(timer);
  }, [toast.isError, onDismiss]);
  return (
    <div
      role={toast.isError ? "alert" : "status"}
      data-testid="toast"
      className={`pointer-events-auto flex w-full items-start gap-3 rounded-lg border px-4 py-3 shadow-lg ${toast.isError ? "border-rose-200 bg-rose-50 text-rose-900" : "border-emerald-200 bg-white text-slate-900"}`}
    >
      <p className="flex-1">{toast.text}</p>
      <button type="button" onClick={onDismiss} className="-mr-1 rounded px-1.5 text-slate-600 hover:bg-slate-100" aria-label="Dismiss">×</button>
    </div>
  );
}
