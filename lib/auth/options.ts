import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { clientAddress } from "@/lib/rate-limits/client-address";
import { deviceCookieMaxAge, deviceCookieName } from "./device-cookie";
import { authenticate } from "./sign-in";
import { getAuthSecret } from "./secret";
import { endAllSessions } from "./sessions";
import { findUserIdByEmail } from "./users";

// Behind a proxy or on another port, next-auth must build its URLs from the request's
// host rather than a fixed NEXTAUTH_URL.
process.env.AUTH_TRUST_HOST ??= "true";

export const signInPath = "/sign-in";

let cached: NextAuthOptions | undefined;

/** next-auth's configuration, built on first use so that nothing runs at import time. */
export function getAuthOptions(): NextAuthOptions {
  cached ??= {
    secret: getAuthSecret(),
    session: { strategy: "jwt", maxAge: 14 * 24 * 3600 },
    pages: { signIn: signInPath, error: signInPath },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const ipAddress = clientAddress((req?.headers ?? {}) as Record<string, string | undefined>) ?? "unknown";
          const jar = await cookies();
          const result = await authenticate(credentials, ipAddress, jar.get(deviceCookieName)?.value);
          // next-auth hands a thrown message back to the sign-in form as `error`.
          if (!result.ok) throw new Error(result.message);
          // Next.js adds a cookie set here to next-auth's answer.
          const isHttps = (req?.headers as Record<string, string | undefined> | undefined)?.["x-forwarded-proto"] === "https";
          jar.set(deviceCookieName, result.deviceCookie, { path: "/", maxAge: deviceCookieMaxAge, httpOnly: true, sameSite: "lax", secure: isHttps });
          return result.user;
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (!account || account.type === "credentials") return true;
        // OAuth opens the door only for people who already have a Runlog account.
        return Boolean(user.email && (await findUserIdByEmail(user.email)));
      },
      async jwt({ token, user, account }) {
        if (user && account?.type === "credentials") {
          token.sub = user.id;
          token.sessionVersion = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        }
        if (user && account && account.type !== "credentials" && user.email) {
          const known = await findUserIdByEmail(user.email);
          if (known) {
            token.sub = known.id;
            token.sessionVersion = known.sessionVersion;
          }
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) Object.assign(session.user, { id: token.sub, sessionVersion: token.sessionVersion ?? 0 });
        return session;
      },
    },
    events: {
      // Signing out ends every session of that person, not only this browser's cookie.
      async signOut({ token }) {
        if (token?.sub) await endAllSessions(token.sub);
      },
    },
  };
  return cached;
}

function oauthProviders() {
  const providers = [];
  if (process.env.GITHUB_ID && process.env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: process.env.GITHUB_ID, clientSecret: process.env.GITHUB_SECRET }));
  }
  if (process.env.GOOGLE_CLIENT_ID && process.env.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: process.env.GOOGLE_CLIENT_ID, clientSecret: process.env.GOOGLE_CLIENT_SECRET }),
    );
  }
  return providers;
}

export function configuredOAuthProviders(): { id: string; name: string }[] {
  return oauthProviders().map((provider) => ({ id: provider.id, name: provider.name }));
}
