"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

export function SignInForm({ callbackUrl, oauthProviders }: { callbackUrl: string; oauthProviders: { id: string; name: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setIsPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setIsPending(false);
    if (!result || result.error) {
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      {/* Sent before the page's script has loaded, the form posts back here and is ignored (see the
          sign-in page): without method and action it would go out as a GET, the password in the
          address, the server's log and the browser's history. */}
      <form onSubmit={onSubmit} method="post" action={`/sign-in?${new URLSearchParams({ callbackUrl, early: "1" })}`} className="space-y-4" noValidate>
        <div className="space-y-1">
          <label htmlFor="email" className="block font-medium text-slate-700">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required
            className="w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none" />
        </div>
        <div className="space-y-1">
          <label htmlFor="password" className="block font-medium text-slate-700">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required
            className="w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none" />
        </div>
        {error && (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-rose-700">{error}</p>
        )}
        <Button type="submit" className="w-full" disabled={isPending}>
          {isPending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oauthProviders.map((provider) => (
        <Button key={provider.id} variant="secondary" className="w-full" onClick={() => signIn(provider.id, { callbackUrl })}>
          Continue with {provider.name}
        </Button>
      ))}
    </div>
  );
}
