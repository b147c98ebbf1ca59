import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { RetentionForm } from "@/components/settings/retention-form";
import { requireSessionContext } from "@/lib/auth/session";
import { getRetentionPeriods } from "@/lib/retention/settings";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Retention" };

export default async function RetentionSettingsPage() {
  const ctx = await requireSessionContext();
  if (ctx.role !== "admin") forbidden();
  const periods = await getRetentionPeriods(ctx);
  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title="Retention">
        How long executions stay in the history. Every night, older ones are archived: out of the history and its
        searches, kept whole under <Link href="/archived" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Archived</Link>. Credits are never affected.
      </PageHeader>
      <RetentionForm periods={periods} />
    </div>
  );
}
