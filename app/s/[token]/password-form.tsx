"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { Answer } from "@/lib/outcome";
import { unlockLinkAction } from "./actions";

export function PasswordForm({ token }: { token: string }) {
  const [state, submit, isPending] = useActionState<Answer | null, FormData>(unlockLinkAction, null);
  return (
    <form action={submit} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <label className="flex flex-col gap-1">
        <span className="text-slate-600">Password</span>
        <input name="password" type="password" aria-label="Password" required maxLength={200} autoFocus autoComplete="current-password" className="rounded-md border border-slate-300 px-3 py-2" />
      </label>
      {state && !state.ok && <p role="alert" className="text-rose-700">{state.message}</p>}
      <Button type="submit" className="w-full" disabled={isPending}>{isPending ? "Checking…" : "Open"}</Button>
    </form>
  );
}
