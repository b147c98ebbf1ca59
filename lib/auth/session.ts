import { and, asc, eq } from "drizzle-orm";
import { decode, encode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { memberships, users, workspaces, type MemberRole } from "@/db/schema";
import { failure, type Outcome } from "@/lib/outcome";
import type { Ctx } from "./context";
import { getAuthOptions, signInPath } from "./options";
import { getAuthSecret } from "./secret";
import { sessionClaimsOf, sessionCookieName, usesSecureCookies } from "./session-cookie";

export const workspaceCookie = "runlog_workspace";

export type SessionContext = Ctx & {
  user: { id: string; name: string; email: string };
  workspace: { id: string; name: string };
  memberships: { workspaceId: string; workspaceName: string; role: MemberRole }[];
};

/**
 * The signed-in person, the workspace they are working in (chosen with the workspace
 * switcher, else their first) and their role there, read fresh from the database so a
 * removed membership or changed role takes effect on the next request, and a session whose
 * person signed out (anywhere) or whose sessions were ended otherwise is no session at all. Read once per request
 * (React's `cache`): the layout, the page and its components share the answer.
 */
export const getSessionContext = cache(readSessionContext);

async function readSessionContext(): Promise<SessionContext | null> {
  const jar = await cookies();
  const isHttps = usesSecureCookies((await headers()).get("x-forwarded-proto"));
  const claims = await sessionClaimsOf(jar.getAll(), sessionCookieName(isHttps), getAuthSecret());
  const userId = z.uuid().safeParse(claims?.sub);
  if (!userId.success) return null;
  const sessionVersion = typeof claims?.sessionVersion === "number" ? claims.sessionVersion : 0;
  return loadSessionContext(userId.data, sessionVersion, jar.get(workspaceCookie)?.value);
}

/**
 * The context of a session of `userId` that began under `sessionVersion`: null once that
 * person's sessions were ended (a newer version), or when they belong to no workspace any more.
 */
export async function loadSessionContext(userId: string, sessionVersion: number, chosenWorkspaceId: string | undefined): Promise<SessionContext | null> {
  const db = await getDb();
  const rows = await db
    .select({
      user: { id: users.id, name: users.name, email: users.email },
      workspaceId: workspaces.id,
      workspaceName: workspaces.name,
      role: memberships.role,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion)))
    .orderBy(asc(memberships.createdAt), asc(workspaces.name));
  const first = rows[0];
  if (!first) return null;
  const current = rows.find((row) => row.workspaceId === chosenWorkspaceId) ?? first;
  return {
    userId: first.user.id,
    workspaceId: current.workspaceId,
    role: current.role,
    user: first.user,
    workspace: { id: current.workspaceId, name: current.workspaceName },
    memberships: rows.map(({ workspaceId, workspaceName, role }) => ({ workspaceId, workspaceName, role })),
  };
}

/** For pages and actions: the session context, or off to the sign-in page. */
export async function requireSessionContext(): Promise<SessionContext> {
  const ctx = await getSessionContext();
  if (!ctx) redirect(signInPath);
  return ctx;
}

const chooseWorkspaceInput = z.object({ workspaceId: z.uuid({ error: "Choose one of your workspaces." }) });

/** Makes another of the person's workspaces the current one: the cookie that remembers it. */
export function chooseWorkspace(ctx: SessionContext, raw: unknown): Outcome<{ cookie: { name: string; value: string; path: string; maxAge: number } }> {
  const parsed = chooseWorkspaceInput.safeParse(raw);
  if (!parsed.success || !ctx.memberships.some((m) => m.workspaceId === parsed.data.workspaceId)) return failure("not_found", "You are not a member of that workspace.");
  return { ok: true, cookie: workspaceChoice(parsed.data.workspaceId) };
}

/** The cookie that makes a workspace the person's current one (they must be its member). */
export function workspaceChoice(workspaceId: string): { name: string; value: string; path: string; maxAge: number } {
  return { name: workspaceCookie, value: workspaceId, path: "/", maxAge: 365 * 24 * 3600 };
}

const sessionCookieNames = [sessionCookieName(true), sessionCookieName(false)];

/**
 * Gives this browser's session cookie the person's new session version, once their sessions were
 * ended for a reason this browser itself gave (a password change): the others stay ended, this
 * one goes on. The cookie keeps next-auth's name, claims and lifetime.
 */
export async function reissueSession(sessionVersion: number): Promise<void> {
  const jar = await cookies();
  const current = sessionCookieNames.map((name) => jar.get(name)).find((cookie) => cookie !== undefined);
  if (!current) return;
  const secret = getAuthSecret();
  const maxAge = getAuthOptions().session?.maxAge ?? 14 * 24 * 3600;
  const token = await decode({ token: current.value, secret });
  if (!token) return;
  const value = await encode({ token: { ...token, sessionVersion }, secret, maxAge });
  const isHttps = current.name.startsWith("__Secure-") || (await headers()).get("x-forwarded-proto") === "https";
  jar.set(current.name, value, { path: "/", maxAge, httpOnly: true, sameSite: "lax", secure: isHttps });
}
