import { unstable_isUnrecognizedActionError, unstable_rethrow } from "next/navigation";
import type { Answer } from "@/lib/outcome";
import { settingUpMessage, unavailableMessage } from "@/lib/unexpected-failure";
import { crossSiteMessage, oversizedMessage } from "./refusal-sentences";

/**
 * The browser's side of action() (./action.ts). A server action answers its refusals and its
 * crashes as an Answer, but when the call gets no answer from it at all (the connection drops,
 * the server is down or restarting, proxy.ts refuses it during a database outage) Next.js rejects
 * the call, and a rejection ends up in the error boundary, which replaces the whole page and
 * what the person typed on it. Called through reachable(), such a call answers a failure with a
 * sentence instead, where the form or button shows its answers. Next's redirect and notFound
 * travel as rejections too and are passed on untouched.
 */
export function reachable<A extends unknown[], T extends object>(serverAction: (...args: A) => Promise<Answer<T>>): (...args: A) => Promise<Answer<T>> {
  return answering(serverAction, unansweredChange);
}

/** reachable() for a form's action: its sentences say that what was entered is still there. */
export function reachableForm<A extends unknown[], T extends object>(serverAction: (...args: A) => Promise<Answer<T>>): (...args: A) => Promise<Answer<T>> {
  return answering(serverAction, unansweredForm);
}

/** reachable() for an action that always redirects, so it answers nothing when it is reached. */
export function reachableRedirect<A extends unknown[]>(serverAction: (...args: A) => Promise<void>): (...args: A) => Promise<Answer<object>> {
  return answering(async (...args: A) => {
    await serverAction(...args);
    return { ok: true };
  }, unansweredChange);
}

/**
 * A read the page repeats while something runs on the server (a background job's progress):
 * null when the call got no answer, so the page says so and asks again at its next turn instead
 * of giving up on a job that goes on without it.
 */
export async function answerOrNull<A extends unknown[], T extends object>(serverAction: (...args: A) => Promise<Answer<T>>, ...args: A): Promise<Answer<T> | null> {
  try {
    return await serverAction(...args);
  } catch (error) {
    unstable_rethrow(error);
    return null;
  }
}

type Sentences = { unknown: string; refused: string; outdated: string };

/**
 * A dropped connection may have been cut after the server did the work, so the sentence says it
 * may not have been done. Only proxy.ts's refusals (a server action gets their sentence as
 * text/plain, which Next.js hands over as the error's message: its 503 during an outage, its 413
 * and 403 shown as they are) and Next's "this action is not on the server" after a new
 * deployment say for certain that nothing ran.
 */
export const unansweredForm: Sentences = {
  unknown: "Runlog could not be reached, so this may not have been saved; what you entered is still here. Try again in a moment.",
  refused: "Runlog's database is not available at the moment, so this was not saved; what you entered is still here. Try again in a moment.",
  outdated: "Runlog was updated after this page was opened, so this was not saved; copy what you entered, reload the page and try again.",
};

export const unansweredChange: Sentences = {
  unknown: "Runlog could not be reached, so this may not have gone through; try again in a moment.",
  refused: "Runlog's database is not available at the moment, so nothing was changed; try again in a moment.",
  outdated: "Runlog was updated after this page was opened, so nothing was changed; reload the page and try again.",
};

function answering<A extends unknown[], T extends object>(serverAction: (...args: A) => Promise<Answer<T>>, sentences: Sentences): (...args: A) => Promise<Answer<T>> {
  return async (...args) => {
    try {
      return await serverAction(...args);
    } catch (error) {
      unstable_rethrow(error);
      return { ok: false, message: sentenceFor(error, sentences) };
    }
  };
}

function sentenceFor(error: unknown, sentences: Sentences): string {
  if (unstable_isUnrecognizedActionError(error)) return sentences.outdated;
  // Refused before anything ran, for a reason the person can act on (a form over 1 MB).
  if (error instanceof Error && (error.message === oversizedMessage || error.message === crossSiteMessage)) return error.message;
  if (error instanceof Error && (error.message === unavailableMessage || error.message === settingUpMessage)) return sentences.refused;
  return sentences.unknown;
}
