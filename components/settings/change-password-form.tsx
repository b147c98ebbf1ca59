"use client";

import { changePasswordAction } from "@/app/(app)/settings/account/actions";
import { Button } from "@/components/ui/button";
import { useActionForm, type Entered } from "@/components/ui/use-action-form";

function PasswordField({ name, label, hint, minLength, autoComplete, entered }: { name: string; label: string; hint?: string; minLength?: number; autoComplete: string; entered: Entered }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="font-medium">{label}</span>
      <input name={name} type="password" required minLength={minLength} maxLength={200} autoComplete={autoComplete} defaultValue={entered.text(name)} aria-label={label} className="rounded-md border border-slate-300 px-3 py-2" />
      {hint && <span className="text-slate-500">{hint}</span>}
    </label>
  );
}

export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const { answer, action: submit, isPending, entered } = useActionForm(changePasswordAction);
  return (
    <form action={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">Change password</h2>
      <PasswordField name="currentPassword" label="Current password" autoComplete="current-password" entered={entered} />
      <PasswordField name="newPassword" label="New password" hint={`At least ${minLength} characters.`} minLength={minLength} autoComplete="new-password" entered={entered} />
      <PasswordField name="confirmPassword" label="Confirm new password" minLength={minLength} autoComplete="new-password" entered={entered} />
      {answer &&
        (answer.ok ? (
          <p role="status" className="text-emerald-700">Your password was changed. Every other session of yours has ended; this browser stays signed in.</p>
        ) : (
          <p role="alert" className="text-rose-700">{answer.message}</p>
        ))}
      <Button type="submit" disabled={isPending}>{isPending ? "Changing…" : "Change password"}</Button>
    </form>
  );
}
