"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import {
  changeLinkDisclosureAction, changeSharePermissionAction, createShareLinkAction, loadSharesAction, revokeShareAction, shareWithMembersAction,
} from "@/app/(app)/executions/[id]/share-actions";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { useSubmissionId } from "@/components/ui/use-submission-id";
import type { Answer } from "@/lib/outcome";
import type { CreatedLink, ShareOverview } from "@/lib/shares/manage";
import { reachable, reachableForm } from "@/lib/http/reachable-action";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";
const permissionLabels = { view: "View only", apply: "Can apply recommendations" } as const;
const expiryLabels = { "1d": "1 day", "7d": "7 days", "30d": "30 days", never: "Never" } as const;
const messageLimit = 1000;
/** What a link may show outsiders, each off unless its creator ticks it. */
const disclosureLabels = { showsCredits: "Show credits", showsNames: "Show people's names" } as const;
/** A link's try sent again after its answer was lost: the first made the link, whose address only that answer could show. */
const repeatedLinkMessage = "Your first try created this link; its address could only be shown then. If you did not copy it, revoke it below and create another.";
type DisclosureChoice = Record<keyof typeof disclosureLabels, boolean>;

type Tab = "people" | "link";

/** Share on the detail page: with chosen members or by link, who has access, and who opened it. */
export function ShareDialog({ executionId, agentName, isInitiallyOpen }: { executionId: string; agentName: string; isInitiallyOpen: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [overview, setOverview] = useState<ShareOverview | null>(null);
  const [tab, setTab] = useState<Tab>("people");
  const [notice, setNotice] = useState<{ text: string; isError: boolean } | null>(null);
  const [createdLink, setCreatedLink] = useState<CreatedLink | null>(null);
  const [isPending, startTransition] = useTransition();
  // Here rather than in the link's form, which the tabs unmount: a try sent again after switching tabs keeps its id.
  const linkSubmission = useSubmissionId();

  const reload = useCallback(() => startTransition(async () => {
    const loaded = await reachable(loadSharesAction)(executionId);
    if (loaded.ok) setOverview(loaded);
    else setNotice({ text: loaded.message, isError: true });
  }), [executionId]);

  const open = useCallback(() => {
    dialog.current?.showModal();
    setNotice(null);
    setCreatedLink(null);
    reload();
  }, [reload]);

  // Opened from the history's row menu (`?share=1`): nothing to reset yet.
  useEffect(() => {
    if (!isInitiallyOpen) return;
    dialog.current?.showModal();
    reload();
  }, [isInitiallyOpen, reload]);

  /**
   * Runs a call that answers its failures (through reachable(), or reachableForm() for the forms,
   * which keep what was entered until it is saved), says how it went, and refreshes who has access.
   */
  const run = <T extends object>(call: () => Promise<Answer<T>>, success: (result: T) => string, after?: (result: T) => void) =>
    startTransition(async () => {
      const result = await call();
      if (!result.ok) return setNotice({ text: result.message, isError: true });
      setNotice({ text: success(result), isError: false });
      after?.(result);
      const loaded = await reachable(loadSharesAction)(executionId);
      if (loaded.ok) setOverview(loaded);
    });

  return (
    <>
      <Button onClick={open}>Share</Button>
      {/* Opens at the top right, under the Share button, as share panels do. */}
      <dialog ref={dialog} aria-labelledby="share-title" className="fixed inset-x-3 top-3 m-0 ml-auto max-h-[calc(100vh-1.5rem)] w-auto max-w-2xl overflow-y-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40 sm:inset-x-auto sm:right-6 sm:top-16 sm:w-[42rem]">
        <div className="space-y-4 p-5">
          <div className="flex items-start justify-between gap-4">
            <h2 id="share-title" className="text-lg font-semibold">Share {agentName}</h2>
            <Button variant="ghost" onClick={() => dialog.current?.close()}>Close</Button>
          </div>
          <div role="tablist" aria-label="Share with" className="flex gap-1 border-b border-slate-200">
            {(["people", "link"] as const).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${tab === name ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
                onClick={() => { setTab(name); setNotice(null); }}
              >
                {name === "people" ? "People in this workspace" : "Link"}
              </button>
            ))}
          </div>
          {notice && <p role={notice.isError ? "alert" : "status"} className={notice.isError ? "text-rose-700" : "text-emerald-700"}>{notice.text}</p>}
          {!overview && <p className="text-slate-600" aria-busy="true">Loading who has access…</p>}
          {overview && tab === "people" && (
            <MemberShareForm
              overview={overview}
              isPending={isPending}
              onShare={(input, onShared) => run(() => reachableForm(shareWithMembersAction)(executionId, input), (r) => `Shared with ${r.shared.length} ${r.shared.length === 1 ? "person" : "people"}.`, onShared)}
            />
          )}
          {overview && tab === "link" && (
            <LinkShareForm
              overview={overview}
              isPending={isPending}
              createdLink={createdLink}
              onCreate={(input, onCreated) => run(
                () => reachableForm(createShareLinkAction)(executionId, { ...input, submissionId: linkSubmission.current() }),
                (link) => (link.isRepeat ? repeatedLinkMessage : "Link created. Copy it now: Runlog keeps only a fingerprint of it and cannot show it again."),
                (link) => { setCreatedLink(link); linkSubmission.renew(); onCreated(); },
              )}
            />
          )}
          {overview && (
            <AccessList
              overview={overview}
              isPending={isPending}
              onChange={(shareId, permission) => run(() => reachable(changeSharePermissionAction)(shareId, permission), () => `Permission changed to “${permissionLabels[permission].toLowerCase()}”.`)}
              onDisclosure={(shareId, change) => run(() => reachable(changeLinkDisclosureAction)(shareId, change), () => "The link now shows what you chose.")}
              onRevoke={(shareId) => run(() => reachable(revokeShareAction)(shareId), (r) => (r.wasRevoked ? "Access revoked." : "That access was already revoked."))}
            />
          )}
        </div>
      </dialog>
    </>
  );
}

type MemberShareInput = { userIds: string[]; permission: "view" | "apply"; message: string };

/** `onShare` calls its second argument once the share is saved: until then the people chosen stay chosen. */
function MemberShareForm({ overview, isPending, onShare }: { overview: ShareOverview; isPending: boolean; onShare: (input: MemberShareInput, onShared: () => void) => void }) {
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [permission, setPermission] = useState<"view" | "apply">("view");
  const [message, setMessage] = useState("");
  const withAccess = new Set(overview.members.map((m) => m.userId));
  const needle = search.trim().toLowerCase();
  const shown = overview.candidates.filter((c) => !needle || c.name.toLowerCase().includes(needle) || c.email.toLowerCase().includes(needle));
  return (
    <form
      className="space-y-3"
      aria-label="Share with people"
      onSubmit={(e) => {
        e.preventDefault();
        onShare({ userIds: [...chosen], permission, message }, () => setChosen(new Set()));
      }}
    >
      <input type="search" aria-label="Find people" placeholder="Find people by name or email…" value={search} onChange={(e) => setSearch(e.target.value)} className={`${field} w-full`} />
      <ul className="max-h-40 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200" aria-label="People">
        {shown.length === 0 && <li className="px-3 py-2 text-slate-600">No one matches “{search}”.</li>}
        {shown.map((person) => (
          <li key={person.userId}>
            <label className="flex cursor-pointer items-center gap-3 px-3 py-1.5 hover:bg-slate-50">
              <input
                type="checkbox"
                checked={chosen.has(person.userId)}
                onChange={(e) => setChosen((previous) => {
                  const next = new Set(previous);
                  if (e.target.checked) next.add(person.userId);
                  else next.delete(person.userId);
                  return next;
                })}
              />
              <span className="font-medium">{person.name}</span>
              <span className="text-slate-600">{person.email}</span>
              {withAccess.has(person.userId) && <span className="ml-auto text-xs text-slate-600">has access</span>}
            </label>
          </li>
        ))}
      </ul>
      <PermissionAndMessage permission={permission} onPermission={setPermission} message={message} onMessage={setMessage} />
      <div className="flex justify-end">
        <Button type="submit" disabled={isPending || chosen.size === 0}>{isPending ? "Sharing…" : chosen.size > 1 ? `Share with ${chosen.size} people` : "Share"}</Button>
      </div>
    </form>
  );
}

type LinkShareInput = { permission: "view" | "apply"; message: string; password: string; expiresIn: keyof typeof expiryLabels } & DisclosureChoice;

/** `onCreate` calls its second argument once the link is made: until then every field keeps what was entered, the password too. */
function LinkShareForm({ overview, isPending, createdLink, onCreate }: { overview: ShareOverview; isPending: boolean; createdLink: CreatedLink | null; onCreate: (input: LinkShareInput, onCreated: () => void) => void }) {
  const [permission, setPermission] = useState<"view" | "apply">("view");
  const [message, setMessage] = useState("");
  const [password, setPassword] = useState("");
  const [expiresIn, setExpiresIn] = useState<LinkShareInput["expiresIn"]>("7d");
  const [shows, setShows] = useState<DisclosureChoice>({ showsCredits: false, showsNames: false });
  const url = createdLink?.path ? `${window.location.origin}${createdLink.path}` : null;
  return (
    <form className="space-y-3" aria-label="Create a link" onSubmit={(e) => { e.preventDefault(); onCreate({ permission, message, password, expiresIn, ...shows }, () => setPassword("")); }}>
      <p className="text-sm text-slate-600">
        Anyone with the link can read this execution{overview.allowsExternalLinks ? "" : " — once signed in as a member of this workspace (an admin turned off links for people outside it)"}.
        Applying recommendations always needs a signed-in member.
      </p>
      <PermissionAndMessage permission={permission} onPermission={setPermission} message={message} onMessage={setMessage} />
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Password (optional, 8 characters or more)</span>
          <input type="password" aria-label="Link password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={`${field} w-64`} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Expires after</span>
          <select aria-label="Expires after" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as LinkShareInput["expiresIn"])} className={field}>
            {Object.entries(expiryLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
      </div>
      <fieldset className="space-y-1 text-sm">
        <legend className="text-slate-600">Whoever opens the link sees the results; credits and names stay hidden unless you tick them.</legend>
        <DisclosureBoxes value={shows} onChange={(change) => setShows((was) => ({ ...was, ...change }))} />
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" disabled={isPending}>{isPending ? "Creating…" : "Create link"}</Button>
      </div>
      {url && (
        <div className="flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 p-2">
          <input readOnly aria-label="New link" value={url} className={`${field} min-w-0 flex-1 font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={url} label="Copy link" />
        </div>
      )}
    </form>
  );
}

function PermissionAndMessage({ permission, onPermission, message, onMessage }: { permission: "view" | "apply"; onPermission: (p: "view" | "apply") => void; message: string; onMessage: (m: string) => void }) {
  return (
    <div className="grid gap-3 sm:grid-cols-[14rem_1fr]">
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-slate-600">Permission</span>
        <select aria-label="Permission" value={permission} onChange={(e) => onPermission(e.target.value as "view" | "apply")} className={field}>
          {Object.entries(permissionLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-slate-600">Message (optional): what should they look at?</span>
        <textarea aria-label="Message" rows={2} maxLength={messageLimit} value={message} onChange={(e) => onMessage(e.target.value)} className={field} />
        <span className="self-end text-xs text-slate-600">{message.length} / {messageLimit.toLocaleString("en-US")}</span>
      </label>
    </div>
  );
}

function DisclosureBoxes({ value, disabled, labelSuffix = "", onChange }: { value: DisclosureChoice; disabled?: boolean; labelSuffix?: string; onChange: (change: Partial<DisclosureChoice>) => void }) {
  return (
    <div className="flex flex-wrap gap-x-4 gap-y-1">
      {(Object.keys(disclosureLabels) as (keyof DisclosureChoice)[]).map((key) => (
        <label key={key} className="inline-flex items-center gap-1.5">
          <input type="checkbox" checked={value[key]} disabled={disabled} onChange={(e) => onChange({ [key]: e.target.checked })} aria-label={`${disclosureLabels[key]}${labelSuffix}`} />
          <span>{disclosureLabels[key]}</span>
        </label>
      ))}
    </div>
  );
}

type AccessListProps = {
  overview: ShareOverview;
  isPending: boolean;
  onChange: (shareId: string, permission: "view" | "apply") => void;
  onDisclosure: (shareId: string, change: Partial<DisclosureChoice>) => void;
  onRevoke: (shareId: string) => void;
};

function AccessList({ overview, isPending, onChange, onDisclosure, onRevoke }: AccessListProps) {
  const hasAccess = overview.members.length + overview.links.length > 0;
  return (
    <div className="space-y-3 border-t border-slate-100 pt-3">
      <h3 className="font-medium">Who has access</h3>
      {!hasAccess && <p className="text-sm text-slate-600">Only you{overview.candidates.length ? " and workspace admins" : ""} can see this execution.</p>}
      {hasAccess && (
        <table className="w-full text-sm" aria-label="Who has access">
          <tbody className="divide-y divide-slate-100">
            {overview.members.map((member) => (
              <tr key={member.id} data-testid="member-grant">
                <td className="py-1.5 pr-2"><span className="font-medium">{member.name}</span> <span className="text-slate-600">{member.email}</span></td>
                <td className="py-1.5 pr-2"><PermissionSelect label={`Permission for ${member.name}`} value={member.permission} disabled={isPending} onChange={(p) => onChange(member.id, p)} /></td>
                <td className="py-1.5 text-right"><RevokeButton label={`Revoke access for ${member.name}`} disabled={isPending} onRevoke={() => onRevoke(member.id)} /></td>
              </tr>
            ))}
            {overview.links.map((link) => (
              <tr key={link.id} data-testid="link-grant">
                <td className="py-1.5 pr-2">
                  <span className="font-medium">Link</span>{link.hasPassword && <span className="ml-1 text-slate-600">· password</span>}
                  <span className="ml-1 text-slate-600">
                    · created <LocalTime iso={new Date(link.createdAt).toISOString()} />
                    {" · "}{link.isExpired ? <span className="text-rose-700">expired</span> : link.expiresAt ? <>expires <LocalTime iso={new Date(link.expiresAt).toISOString()} /></> : "never expires"}
                  </span>
                  <div className="mt-1 text-slate-700">
                    <DisclosureBoxes value={{ showsCredits: link.showsCredits, showsNames: link.showsNames }} disabled={isPending} labelSuffix=" through this link" onChange={(change) => onDisclosure(link.id, change)} />
                  </div>
                </td>
                <td className="py-1.5 pr-2"><PermissionSelect label="Permission for the link" value={link.permission} disabled={isPending} onChange={(p) => onChange(link.id, p)} /></td>
                <td className="py-1.5 text-right"><RevokeButton label="Revoke link" disabled={isPending} onRevoke={() => onRevoke(link.id)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary className="cursor-pointer text-sm text-slate-600">Opened {overview.access.length === 100 ? "100+ times" : `${overview.access.length} ${overview.access.length === 1 ? "time" : "times"}`} through shares</summary>
        {overview.access.length > 0 && (
          <table className="mt-2 w-full text-sm" aria-label="Access log">
            <thead className="text-left text-slate-600"><tr><th className="py-1 font-normal">When</th><th className="py-1 font-normal">Who</th><th className="py-1 font-normal">Address</th></tr></thead>
            <tbody className="divide-y divide-slate-100">
              {overview.access.map((entry, n) => (
                <tr key={n}>
                  <td className="py-1"><LocalTime iso={new Date(entry.at).toISOString()} /></td>
                  <td className="py-1">{entry.who}</td>
                  <td className="py-1 font-mono text-xs">{entry.ipAddress ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </div>
  );
}

function PermissionSelect({ label, value, disabled, onChange }: { label: string; value: "view" | "apply"; disabled: boolean; onChange: (p: "view" | "apply") => void }) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as "view" | "apply")} className={`${field} py-1 text-sm`}>
      {Object.entries(permissionLabels).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
    </select>
  );
}

/** Revoking a link cannot be undone (its address is gone for good), so it asks once more. */
function RevokeButton({ label, disabled, onRevoke }: { label: string; disabled: boolean; onRevoke: () => void }) {
  const [isConfirming, setIsConfirming] = useState(false);
  if (!isConfirming) return <Button variant="ghost" aria-label={label} disabled={disabled} onClick={() => setIsConfirming(true)}>Revoke</Button>;
  return (
    <span className="inline-flex items-center gap-1">
      <Button variant="danger" aria-label={`Confirm: ${label.toLowerCase()}`} disabled={disabled} onClick={() => { setIsConfirming(false); onRevoke(); }}>Revoke</Button>
      <Button variant="ghost" onClick={() => setIsConfirming(false)}>Keep</Button>
    </span>
  );
}
