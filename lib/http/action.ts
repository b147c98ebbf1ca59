import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { requireSessionContext, type SessionContext } from "@/lib/auth/session";
import { answerOf, failure, type Answer, type Outcome } from "@/lib/outcome";
import { failureFromUnexpected } from "@/lib/unexpected-failure";

/** A page whose data an action changes: its path, or a layout with every page under it. */
type Refresh = string | { layout: string };

/** A cookie an action's result asks for (a link's password was right, a workspace was chosen). */
type CookieToSet = { name: string; value: string; path: string; maxAge: number };

/** What a form sends: its FormData after the previous answer (useActionState's form). */
export const formArgs = z.tuple([z.unknown(), z.instanceof(FormData)]);
/** What a plain `<form action>` sends: its FormData alone. */
export const plainFormArgs = z.tuple([z.instanceof(FormData)]);

/** The answer to a call whose arguments no page of Runlog sends (a forged or stale call). */
export const unexpectedInputMessage = "This form's data is not what Runlog expected; reload the page and try again.";

type Success<T extends object> = { ok: true } & T;
type Access = "member" | "public";

type ActionOptions<For extends Access, A extends unknown[], T extends object, Next extends string | undefined> = {
  /** `member`: the signed-in person (others are sent to sign in); `public`: anyone. */
  access: For;
  /**
   * The arguments' shape, checked before `run` for an action that reads them itself (a form's
   * FormData: `formArgs`); without it, `run` hands them to a `lib/` call that validates them.
   */
  input?: z.ZodType<A>;
  /** The one domain call, with the caller's context (`null` for public actions) and the action's arguments. */
  run: (ctx: For extends "member" ? SessionContext : null, ...args: A) => Promise<Outcome<T>>;
  /** What the call changes, refreshed once it has succeeded (a refusal changes nothing). */
  revalidate?: Refresh[] | ((result: Success<NoInfer<T>>, args: NoInfer<A>) => Refresh[]);
  /** A cookie to set once the call has succeeded. */
  cookie?: (result: Success<NoInfer<T>>) => CookieToSet;
  /** Where the person goes next; undefined stays on the page, which shows the answer. */
  redirect?: (result: Outcome<NoInfer<T>>, args: NoInfer<A>) => Next;
};

/**
 * The one way to write a server action. `run` makes the one `lib/` call, which validates the
 * arguments as the browser sent them and returns an Outcome (arguments `run` reads itself, a
 * form's fields, are checked against `input` first: a forged call is refused with a sentence,
 * not taken for a crash); the wrapper turns it into an
 * Answer, refreshes what it declares, and turns an error nobody caught into the shared
 * sentence (lib/unexpected-failure.ts) instead of a crash. An action that always redirects
 * answers nothing (so a plain `<form action>` can take it).
 */
export function action<For extends Access, A extends unknown[], T extends object, Next extends string | undefined = undefined>(
  options: ActionOptions<For, A, T, Next>,
): (...args: A) => Promise<[Next] extends [string] ? void : Answer<T>> {
  return async (...args) => {
    let result: Outcome<T>;
    try {
      const ctx = options.access === "member" ? await requireSessionContext() : null;
      // `access` decided which context `run` takes; this is that context.
      result = options.input && !options.input.safeParse(args).success
        ? failure("invalid_input", unexpectedInputMessage)
        : await options.run(ctx as never, ...args);
    } catch (error) {
      // Next's redirect (to sign in) and notFound travel as errors; they are not failures.
      unstable_rethrow(error);
      result = failureFromUnexpected(error);
    }
    if (result.ok) {
      if (options.cookie) await setCookie(options.cookie(result));
      const refreshes = typeof options.revalidate === "function" ? options.revalidate(result, args) : (options.revalidate ?? []);
      for (const refresh of refreshes) {
        if (typeof refresh === "string") revalidatePath(refresh);
        else revalidatePath(refresh.layout, "layout");
      }
    }
    const next = options.redirect?.(result, args);
    if (next) redirect(next);
    return answerOf(result) as Answer<T> & void;
  };
}

async function setCookie({ name, value, path, maxAge }: CookieToSet): Promise<void> {
  const isHttps = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(name, value, { path, maxAge, httpOnly: true, sameSite: "lax", secure: isHttps });
}
