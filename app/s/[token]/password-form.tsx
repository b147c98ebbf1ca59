"use client";

import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";
import { unlockLinkAction } from "./actions";

export function PasswordForm({ token }: { token: string }) {
  const { answer: state, action: submit, isPending, entered } = useActionForm(unlockLinkAction);
  return (
    <form action={submit} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <label className="flex flex-col gap-1">
        <span className="text-slate-600">Password</span>
        <input name="password" type="password" aria-label="Password" required maxLength={200} autoFocus autoComplete="current-password" defaultValue={entered.text("password")} className="rounded-md border border-slate-300 px-3 py-2" />
      </label>
      {state && !state.ok && <p role="alert" className="text-rose-700">{state.message}</p>}
      <Button type="submit" className="w-full" disabled={isPending}>{isPending ? "Checking…" : "Open"}</Button>
    </form>
  );
}
