import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ComparisonView } from "@/components/executions/compare/comparison-view";
import { requireSessionContext } from "@/lib/auth/session";
import { compareExecutions } from "@/lib/compare/compare";
import { parseCompareRequest } from "@/lib/compare/compare-request";
import type { SearchParams } from "@/lib/url-state/params";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Compare executions" };

type Props = { searchParams: Promise<SearchParams> };

export default pageReadingAddress(async function CompareExecutionsPage({ searchParams }: Props) {
  const ctx = await requireSessionContext();
  const parsed = parseCompareRequest(await searchParams);
  const result = parsed.ok ? await compareExecutions(ctx, parsed.request) : parsed;
  // A run this person may not see answers as a missing one does on every page: 404.
  if (!result.ok && result.code === "not_found") notFound();
  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/executions", label: "Past executions" }}
        title={result.ok ? `Compare ${result.comparison.runs.length} ${result.comparison.agentName} runs` : "Compare executions"}
      />
      {result.ok ? (
        <ComparisonView comparison={result.comparison} periodDays={result.comparison.trend.periodDays} />
      ) : (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
          <p className="font-medium">{result.message}</p>
          <p className="mt-1 text-sm">
            In <Link href="/executions" className="underline">Past executions</Link>, tick two to five runs of one agent and choose Compare, or open a run
            and choose “Compare with previous run(s)…”.
          </p>
        </div>
      )}
    </div>
  );
});
