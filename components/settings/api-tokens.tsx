"use client";

import { useTransition, useState } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/app/(app)/settings/api-tokens/actions";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { useActionForm } from "@/components/ui/use-action-form";
import { reachable } from "@/lib/http/reachable-action";

const field = "rounded-md border border-slate-300 px-2 py-1.5";

/** Creates a token and shows its secret this once. */
export function ApiTokenForm({ isAdmin }: { isAdmin: boolean }) {
  const { answer, action, isPending, entered } = useActionForm(createApiTokenAction);
  // The kind stays as last sent, also once a token is made: an admin making several workspace tokens
  // would otherwise get a personal one unnoticed. After a token, the name (each token's own) and the
  // scope and expiry start afresh, so a broader scope or a longer life is chosen each time.
  const sentKind = entered.chosen("kind", "personal");
  const [kind, setKind] = useState(sentKind);
  const scope = entered.text("scope", "read");
  const expiresIn = entered.text("expiresIn", "90");
  return (
    <form action={action} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="font-medium">New token</h2>
      <div className="flex flex-wrap gap-4">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Name</span>
          <input name="name" required maxLength={100} placeholder="Nightly BI export" defaultValue={entered.text("name")} className={field} />
        </label>
        {isAdmin && (
          <label className="flex flex-col gap-1">
            <span className="text-slate-600">Kind</span>
            <select name="kind" key={sentKind} defaultValue={sentKind} onChange={(e) => setKind(e.target.value)} className={field}>
              <option value="personal">Personal</option>
              <option value="workspace">Workspace</option>
            </select>
          </label>
        )}
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Scope</span>
          <select name="scope" key={scope} defaultValue={scope} className={field}>
            <option value="read">read</option>
            <option value="read_apply">read+apply</option>
            {kind === "workspace" && <option value="admin_read">admin-read (ledger and audit log)</option>}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Expires</span>
          <select name="expiresIn" key={expiresIn} defaultValue={expiresIn} className={field}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never</option>
          </select>
        </label>
      </div>
      {answer && !answer.ok && <p role="alert" className="text-rose-700">{answer.message}</p>}
      {answer?.ok && (answer.token === null ? (
        // The first try's answer was lost; the token it made is listed, but its value is gone.
        <p role="status" className="text-emerald-800">Your first try created this token ({answer.tokenPrefix}…); its value could only be shown then. If you did not copy it, revoke it below and create another.</p>
      ) : (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3">
          <p className="text-emerald-800">Copy the token now: it is shown only this once.</p>
          <p className="mt-1 break-all font-mono text-sm" data-testid="new-api-token">{answer.token}<CopyButton value={answer.token} label="Copy the token" /></p>
        </div>
      ))}
      <Button type="submit" disabled={isPending}>Create token</Button>
    </form>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [isPending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        variant="secondary"
        disabled={isPending}
        aria-label={`Revoke ${name}`}
        onClick={() => {
          if (!window.confirm(`Revoke “${name}”? Scripts using it stop working at once.`)) return;
          startTransition(async () => {
            const answer = await reachable(revokeApiTokenAction)(tokenId);
            setError(answer.ok ? null : answer.message);
          });
        }}
      >
        Revoke
      </Button>
      {error && <span role="alert" className="block text-rose-700">{error}</span>}
    </>
  );
}
