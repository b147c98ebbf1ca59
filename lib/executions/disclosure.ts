/**
 * What a viewer is shown of a run's credits and of people's names: everything in the app;
 * through a share link, what its creator chose (both hidden by default). The page and every
 * download served through the link read it here, so they hide the same things the same way.
 */
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Ctx } from "@/lib/auth/context";

export type Disclosure = { showsCredits: boolean; showsNames: boolean };

export const fullDisclosure: Disclosure = { showsCredits: true, showsNames: true };

export function disclosureOf(ctx: Ctx): Disclosure {
  return ctx.linkShare ? { showsCredits: ctx.linkShare.showsCredits, showsNames: ctx.linkShare.showsNames } : fullDisclosure;
}

/** The neutral word in place of a person's name. */
export const teammate = "A teammate";

/** A person's name as this viewer may see it (null stays null: nobody to name). */
export function nameFor(disclosure: Disclosure, name: string | null): string | null {
  return name === null || disclosure.showsNames ? name : teammate;
}

/** A credits clause at the end of a log line: "…; charged 40 of 50 reserved credits", "…; charged 3 credits, refunded 2". */
const creditsClause = "\\s*[;,]\\s*(charged|refunded|reserved)\\M.*$";
/** The one log line that names a person (lib/executions/cancel.ts). */
const namedAsker = "requested by .+? after";

/**
 * A log line's message, in SQL, as this viewer may read it: without credits, its credits
 * clause is cut, and a line still about credits says only that they are not shown; without
 * names, the person who asked for something is "a teammate".
 */
export function logMessageFor(disclosure: Disclosure, message: AnyColumn | SQL): SQL {
  let text = sql`${message}`;
  if (!disclosure.showsNames) text = sql`regexp_replace(${text}, ${namedAsker}, 'requested by a teammate after', 'i')`;
  if (!disclosure.showsCredits) {
    text = sql`regexp_replace(${text}, ${creditsClause}, '', 'i')`;
    text = sql`(case when ${text} ~* 'credit' then 'Credits are not shown through this link' else ${text} end)`;
  }
  return text;
}

/** A log line's data, in SQL, without the credit figures some lines carry when credits are hidden. */
export function logDataFor(disclosure: Disclosure, data: AnyColumn | SQL): SQL {
  return disclosure.showsCredits ? sql`${data}` : sql`(${data} - 'charged' - 'refunded' - 'reserved' - 'credits')`;
}
