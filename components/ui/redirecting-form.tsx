"use client";

import { useState, useTransition, type FormEvent, type ReactNode } from "react";
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
 * It sends on submit rather than as the form's action, which React would follow by resetting the
 * fields: a choice that did not go through stays chosen.
 */
export function RedirectingForm({ action, className, failureClassName = "text-sm text-rose-700", children }: Props) {
  const isHydrated = useIsHydrated();
  const [failure, setFailure] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isPending) return;
    const form = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    setFailure(null);
    startTransition(async () => {
      const answer = await reachableRedirect(action)(form);
      if (!answer.ok) setFailure(answer.message);
    });
  };
  return (
    <form action={isHydrated ? undefined : action} onSubmit={isHydrated ? send : undefined} aria-busy={isPending} className={className}>
      {children}
      {failure && <p role="alert" className={failureClassName}>{failure}</p>}
    </form>
  );
}
