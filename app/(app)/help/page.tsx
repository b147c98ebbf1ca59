import type { Metadata } from "next";
import Link from "next/link";
import { supportEmail } from "@/lib/support/contact";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Help and support" };

const link = "text-indigo-700 underline underline-offset-2 hover:text-indigo-900";

/** What each part of Runlog is for, and whom to ask. */
export default function HelpPage() {
  const email = supportEmail();
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Help and support" />
      <section aria-labelledby="help-history" className="space-y-2">
        <h2 id="help-history" className="font-medium">Finding a run</h2>
        <p className="text-slate-700">
          <Link href="/executions" className={link}>Past executions</Link> lists every run you may see, newest first. Filter by agent,
          status, outcome and dates, sort by start, duration or credits, or paste an execution ID (or its first 8 characters) into
          “Find by ID”. Runs shared with you are under <Link href="/shared" className={link}>Shared with me</Link>.
        </p>
      </section>
      <section aria-labelledby="help-review" className="space-y-2">
        <h2 id="help-review" className="font-medium">Reviewing and applying results</h2>
        <p className="text-slate-700">
          A run’s page has tabs: Overview, Results, Recommendations, Log and Downloads. Approve or reject each recommendation on its
          row, or tick several and decide them together; “Preview and apply” lists exactly what will change in your store before
          anything is written. Applied changes can be reverted.
        </p>
      </section>
      <section aria-labelledby="help-failed" className="space-y-2">
        <h2 id="help-failed" className="font-medium">When a run fails</h2>
        <p className="text-slate-700">
          A failed run says what went wrong, where in its log it stopped, the likely cause and what to check; credits of a failed run
          are refunded in full. “Run again with a smaller scope” starts a new run with fewer items.
        </p>
      </section>
      <section aria-labelledby="help-contact" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="help-contact" className="font-medium">Contact support</h2>
        {email ? (
          <p className="text-slate-700">
            Write to <a href={`mailto:${email}`} className={link}>{email}</a> and quote the execution ID shown on the run’s page.
          </p>
        ) : (
          <p className="text-slate-700">Ask an admin of your workspace, and quote the execution ID shown on the run’s page.</p>
        )}
      </section>
    </div>
  );
}
