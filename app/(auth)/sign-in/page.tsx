import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { configuredOAuthProviders } from "@/lib/auth/options";
import { getSessionContext } from "@/lib/auth/session";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Sign in" };

export default pageReadingAddress(async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, early, switch: switchAccount } = await searchParams;
  const target = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  // Someone signed in goes on to where they were going, unless they came to sign in as someone
  // else (a share link of a workspace their account is not in).
  const session = await getSessionContext();
  const isSwitching = switchAccount === "1" && session !== null;
  if (session && !isSwitching) redirect(target);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6">
          <p className="text-lg font-semibold tracking-tight">Runlog</p>
          <h1 className="mt-1 text-slate-500">Sign in to your workspace</h1>
        </div>
        {isSwitching && (
          <p role="status" className="mb-4 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-700">
            You are signed in with an account that is not a member of that workspace. Sign in with one that is; it replaces the current one.
          </p>
        )}
        {early === "1" && (
          <p role="status" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
            The page had not finished loading, so you are not signed in yet. Sign in again.
          </p>
        )}
        <SignInForm callbackUrl={target} oauthProviders={configuredOAuthProviders()} />
      </div>
    </main>
  );
});
