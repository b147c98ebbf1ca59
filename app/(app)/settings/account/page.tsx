import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { PageHeader } from "@/components/ui/page-header";
import { minPasswordLength } from "@/lib/auth/password-change";
import { requireSessionContext } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountSettingsPage() {
  const ctx = await requireSessionContext();
  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title="Account">
        You sign in as {ctx.user.email}. Changing your password signs you out everywhere else; this browser stays signed in.
      </PageHeader>
      <ChangePasswordForm minLength={minPasswordLength} />
    </div>
  );
}
