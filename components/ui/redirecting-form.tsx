"use client";

import { useState, type ReactNode } from "react";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import { reachableRedirect } from "@/lib/http/reachable-action";

type Props = {
  /** A server action that always redirects (with its arguments bound, if any). */
  action: (form: FormData) => Promise<void>;
  className?: string;
  /** Where the sentence about a call that got no answer goes, beside the form's own look. */
  failureClassName?: string;
  children: ReactNode;
};

/**
 * A form whose action takes the person elsewhere. Before the page's script runs it posts to the
 * action itself (it works without JavaScript); after, a call that gets no answer (a dropped
 * connection, an outage) says so in the form instead of replacing the page with the error page.
 */
export function RedirectingForm({ action, className, failureClassName = "text-sm text-rose-700", children }: Props) {
  const isHydrated = useIsHydrated();
  const [failure, setFailure] = useState<string | null>(null);
  const send = async (form: FormData) => {
    setFailure(null);
    const answer = await reachableRedirect(action)(form);
    if (!answer.ok) setFailure(answer.message);
  };
  return (
    <form action={isHydrated ? send : action} className={className}>
      {children}
      {failure && <p role="alert" className={failureClassName}>{failure}</p>}
    </form>
  );
}
