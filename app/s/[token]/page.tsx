import type { Metadata } from "next";
import Link from "next/link";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { DownloadMenu } from "@/components/executions/download-menu";
import { ExecutionHeader, listLabelOf } from "@/components/executions/execution-header";
import { ExecutionOverview } from "@/components/executions/execution-overview";
import { LogSection } from "@/components/executions/log-section";
import { ExecutionResults } from "@/components/executions/results/execution-results";
import { RecommendationList } from "@/components/executions/results/recommendation-list";
import { getRunContents } from "@/lib/exports/run-contents";
import { maxGeneratedTextLength } from "@/lib/results/generated";
import { Button, buttonClass } from "@/components/ui/button";
import { RedirectingForm } from "@/components/ui/redirecting-form";
import { agentName } from "@/lib/agents/catalog";
import { getSessionContext } from "@/lib/auth/session";
import { isLive } from "@/lib/executions/permissions";
import { searchParamsOf, type SearchParams } from "@/lib/url-state/params";
import { loadExecutionContent } from "@/lib/executions/content";
import { disclosureOf } from "@/lib/executions/disclosure";
import { getVisibleExecution } from "@/lib/executions/queries";
import { clientAddress } from "@/lib/rate-limits/client-address";
import { linkViewerOf, visitShareLink } from "@/lib/shares/links";
import { linkAccessCookie } from "@/lib/shares/tokens";
import { openInRunlogAction } from "./actions";
import { PasswordForm } from "./password-form";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Shared execution", robots: { index: false, follow: false } };

/** A shared execution, read-only, for anyone holding the link (F10). */
export default pageReadingAddress(async function SharedLinkPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<SearchParams> }) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  const session = await getSessionContext();
  const visit = await visitShareLink(token, linkViewerOf(session), clientAddress(await headers()), (await cookies()).get(linkAccessCookie)?.value);
  // Someone already signed in (to another workspace) is offered to sign in as someone else.
  const signInHref = `/sign-in?callbackUrl=${encodeURIComponent(`/s/${token}`)}${session ? "&switch=1" : ""}`;

  if (visit.state === "gone") notFound();
  if (visit.state === "members_only") {
    return (
      <LinkFrame>
        <div className="mx-auto max-w-sm space-y-3 rounded-lg border border-slate-200 bg-white p-6">
          <h1 className="text-lg font-semibold">Sign in to open this execution</h1>
          <p className="text-slate-600">
            This link opens only for members of the workspace that shared it{visit.isSignedIn ? ", and you are signed in to another one" : ""}.
          </p>
          <Link href={signInHref} className={buttonClass("primary", "w-full")}>{visit.isSignedIn ? "Sign in as a member" : "Sign in"}</Link>
        </div>
      </LinkFrame>
    );
  }
  if (visit.state === "needs_password") {
    return (
      <LinkFrame>
        <div className="mx-auto max-w-sm space-y-3 rounded-lg border border-slate-200 bg-white p-6">
          <h1 className="text-lg font-semibold">This shared execution is protected</h1>
          <p className="text-slate-600">Enter the password you were given with the link.</p>
          <PasswordForm token={token} />
          {visit.canOpenInRunlog && (
            <RedirectingForm action={openInRunlogAction.bind(null, token)} className="space-y-2 border-t border-slate-200 pt-3">
              <p className="text-sm text-slate-600">You can already see this run in Runlog as a member of its workspace; the password gives you nothing more there.</p>
              <Button type="submit" variant="secondary" className="w-full">Open in Runlog</Button>
            </RedirectingForm>
          )}
        </div>
      </LinkFrame>
    );
  }

  const { ctx, share, isMember } = visit;
  const execution = await getVisibleExecution(ctx, share.executionId);
  if (!execution) notFound();
  const [content, contents] = await Promise.all([loadExecutionContent(ctx, execution, query), isLive(execution) ? null : getRunContents(ctx, execution.id)]);
  const canApplyThroughLink = share.permission === "apply";
  const disclosure = disclosureOf(ctx);

  const basePath = `/s/${token}`;
  const listLabel = listLabelOf(execution.agentId);
  const { tab } = content;

  return (
    <LinkFrame>
      <div className="space-y-5">
        <ExecutionHeader
          execution={execution}
          agentName={agentName(execution.agentId)}
          basePath={basePath}
          tab={tab}
          listLabel={listLabel}
          recommendationCount={content.recommendationCount}
          showsCredits={disclosure.showsCredits}
          backLink={
            <p className="mb-1 text-slate-700" data-testid="shared-by">
              Shared by {disclosure.showsNames ? share.sharedByName ?? "a former member" : "a teammate"} · {canApplyThroughLink ? "members can apply its recommendations" : "view only"}
              {share.message && <>{" · "}<q className="italic">{share.message}</q></>}
            </p>
          }
        >
          {isMember ? (
            <RedirectingForm action={openInRunlogAction.bind(null, token)} className="relative" failureClassName="absolute left-0 top-full z-20 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-md sm:left-auto sm:right-0 border border-rose-200 bg-white px-2 py-1 text-sm text-rose-700 shadow">
              <Button type="submit" variant={canApplyThroughLink ? "primary" : "secondary"}>{canApplyThroughLink ? "Open in Runlog to apply" : "Open in Runlog"}</Button>
            </RedirectingForm>
          ) : canApplyThroughLink ? (
            <Link href={signInHref} className={buttonClass("secondary")}>Sign in as a workspace member to apply</Link>
          ) : null}
          {contents && <DownloadMenu executionId={execution.id} agentId={execution.agentId} contents={contents} basePath={`${basePath}/download`} />}
        </ExecutionHeader>

        {tab === "overview" && (
          <>
            {execution.errorMessage && (
              <section className="rounded-lg border border-rose-200 bg-rose-50 p-4" aria-label="Error">
                <p className="font-medium text-rose-800">{execution.errorMessage}</p>
                {execution.errorHint && <p className="mt-1 text-rose-700">{execution.errorHint}</p>}
              </section>
            )}
            <ExecutionOverview execution={execution} isInApp={false} disclosure={disclosure} />
          </>
        )}
        {tab === "results" && content.blocks && (
          <ExecutionResults executionId={execution.id} status={execution.status} blocks={content.blocks} recommendations={{ href: `${basePath}?tab=recommendations`, count: content.recommendationCount }} isReadOnly />
        )}
        {tab === "recommendations" && content.recommendations && (
          <RecommendationList executionId={execution.id} page={content.recommendations.page} filter={content.recommendations.filter} canApply={false} maxTextLength={listLabel === "Generated texts" ? maxGeneratedTextLength : null} />
        )}
        {tab === "log" && content.log && <LogSection execution={execution} log={content.log} basePath={basePath} query={searchParamsOf(query)} />}
        {tab === "downloads" && (
          <p className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-slate-700">Use Download above to get this run as a PDF report, JSON or CSV.</p>
        )}
      </div>
    </LinkFrame>
  );
});

/** The clean frame of a shared page: no app navigation, which a visitor could not use. */
function LinkFrame({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-screen-2xl items-center justify-between px-4 py-3 sm:px-6">
          <span className="font-semibold tracking-tight">Runlog</span>
          <span className="text-slate-600">Shared execution</span>
        </div>
      </header>
      <main className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
