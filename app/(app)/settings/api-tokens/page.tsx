import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokenForm, RevokeTokenButton } from "@/components/settings/api-tokens";
import { LocalTime } from "@/components/ui/local-time";
import { isAdmin } from "@/lib/auth/context";
import { requireSessionContext } from "@/lib/auth/session";
import { listApiTokens, scopeLabels } from "@/lib/api-tokens/tokens";
import { PageHeader } from "@/components/ui/page-header";
import { SideScroll } from "@/components/ui/side-scroll";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const ctx = await requireSessionContext();
  const tokens = await listApiTokens(ctx);
  return (
    <div className="max-w-4xl space-y-4">
      <PageHeader title="API tokens">
        Send a token as <code>Authorization: Bearer rl_…</code> to the JSON, CSV and PDF routes (see the <Link className="text-indigo-700 underline" href="/api/docs" prefetch={false}>API reference</Link>). A token sees exactly what its owner sees.
        {isAdmin(ctx) ? " Workspace tokens act for the workspace as the admin who made them, while that person is an admin." : ""}
      </PageHeader>
      <ApiTokenForm isAdmin={isAdmin(ctx)} />
      <SideScroll label="API tokens" className="rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">API tokens</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Token</th>
              <th scope="col" className="px-3 py-2 font-medium">Kind and scope</th>
              <th scope="col" className="px-3 py-2 font-medium">Expires</th>
              <th scope="col" className="px-3 py-2 font-medium">Last used</th>
              <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Revoke</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr><td colSpan={6} className="px-3 py-4 text-slate-500">No tokens yet.</td></tr>
            )}
            {tokens.map((token) => (
              <tr key={token.id} className="border-t border-slate-100">
                <td className="px-3 py-2">{token.name}<span className="block text-xs text-slate-500">by {token.ownerName}</span></td>
                <td className="px-3 py-2 font-mono text-xs">{token.tokenPrefix}…</td>
                <td className="px-3 py-2">{token.kind === "workspace" ? "Workspace" : "Personal"}, {scopeLabels[token.scope]}</td>
                <td className="px-3 py-2">{token.expiresAt ? <LocalTime iso={token.expiresAt.toISOString()} /> : "Never"}</td>
                <td className="px-3 py-2">
                  {token.lastUsedAt ? <><LocalTime iso={token.lastUsedAt.toISOString()} /><span className="block text-xs text-slate-500">from {token.lastUsedIp ?? "an unknown address"}</span></> : "Never"}
                </td>
                <td className="px-3 py-2 text-right">
                  {token.revokedAt ? <span className="text-slate-500">Revoked</span> : token.isExpired ? <span className="text-slate-500">Expired</span> : token.canRevoke ? <RevokeTokenButton tokenId={token.id} name={token.name} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </SideScroll>
    </div>
  );
}
