import { cookies } from "next/headers";
import { authenticateApiToken, type TokenNeed, type TokenRefusal } from "@/lib/api-tokens/authenticate";
import type { Ctx } from "@/lib/auth/context";
import { getSessionContext } from "@/lib/auth/session";
import { failure, type Failure, type Outcome } from "@/lib/outcome";
import { goneMessage, linkViewerOf, needsPasswordMessage, visitShareLink, type LinkVisit } from "@/lib/shares/links";
import { linkAccessCookie } from "@/lib/shares/tokens";
import { failureFromUnexpected } from "@/lib/unexpected-failure";
import { clientAddress } from "@/lib/rate-limits/client-address";
import { failureResponse } from "./failure-response";

/**
 * Who may call a route, and what its handler is given:
 * - `member`: a signed-in member of a workspace (`signInTo` finishes "Sign in to …" for the
 *   401 everyone else gets), or an API token's owner; the handler gets their context. `token`
 *   says which token scope the route needs (default `read`; `apply` for actions, `admin` for
 *   the ledger, audit log and archive).
 * - `link`: whoever may open the share link in the route's `token` param (its password cookie,
 *   when it has one); the handler gets the open link, whose context sees that execution only.
 * - `public`: anyone; the handler gets no context.
 */
type MemberAccess = { access: "member"; signInTo: string; token?: TokenNeed };
export type RouteAccess = MemberAccess | { access: "link" } | { access: "public" };

type OpenLink = Extract<LinkVisit, { state: "open" }>;
type Params = Record<string, string | string[] | undefined>;

/** What a handler is called with: who is calling (see RouteAccess), the request and the route's params. */
type RouteCall<Caller, P extends Params> = { caller: Caller; request: Request; params: P };
type Handler<Caller, P extends Params> = (call: RouteCall<Caller, P>) => Promise<Response | Failure>;
type RouteHandler<P extends Params> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/**
 * The one way to write a route handler: the caller is established by `access`, the handler
 * returns a Response or a Failure, and a failure — returned, or an error nobody caught — becomes
 * the shared JSON answer with its status (lib/http/failure-response.ts). No handler invents a
 * status code or checks a session itself.
 */
export function route<P extends Params = Params>(access: MemberAccess, handler: Handler<Ctx, P>): RouteHandler<P>;
export function route<P extends Params = Params>(access: { access: "link" }, handler: Handler<OpenLink, P>): RouteHandler<P>;
export function route<P extends Params = Params>(access: { access: "public" }, handler: Handler<null, P>): RouteHandler<P>;
export function route<P extends Params>(access: RouteAccess, handler: Handler<never, P>): RouteHandler<P> {
  return async (request, context) => {
    try {
      const params = await context.params;
      const admitted = await admit(access, request, params);
      if (!admitted.ok) return failureResponse(admitted, retryAfter(admitted));
      // The overloads tie each access to its caller's type; admit() returns that caller.
      const answer = await handler({ caller: admitted.caller as never, request, params });
      return answer instanceof Response ? answer : failureResponse(answer);
    } catch (error) {
      return failureResponse(failureFromUnexpected(error));
    }
  };
}

async function admit(access: RouteAccess, request: Request, params: Params): Promise<Outcome<{ caller: Ctx | OpenLink | null }> | TokenRefusal> {
  switch (access.access) {
    case "public":
      return { ok: true, caller: null };
    case "member": {
      const authorization = request.headers.get("authorization");
      if (authorization) {
        const admitted = await authenticateApiToken(authorization, access.token ?? "read", clientAddress(request.headers));
        return admitted.ok ? { ok: true, caller: admitted.ctx } : admitted;
      }
      const ctx = await getSessionContext();
      return ctx ? { ok: true, caller: ctx } : failure("unauthorized", `Sign in to ${access.signInTo}.`);
    }
    case "link": {
      const token = typeof params.token === "string" ? params.token : "";
      const visit = await visitShareLink(token, linkViewerOf(await getSessionContext()), clientAddress(request.headers), (await cookies()).get(linkAccessCookie)?.value);
      if (visit.state === "gone") return failure("not_found", goneMessage);
      if (visit.state === "members_only") return failure("unauthorized", "Sign in as a member of the workspace that shared this execution to open it.");
      if (visit.state === "needs_password") return failure("unauthorized", needsPasswordMessage);
      return { ok: true, caller: visit };
    }
  }
}

function retryAfter(refusal: Failure | TokenRefusal): HeadersInit | undefined {
  return "retryAfterSeconds" in refusal && refusal.retryAfterSeconds ? { "Retry-After": String(refusal.retryAfterSeconds) } : undefined;
}
