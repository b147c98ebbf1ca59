import { notFound, redirect } from "next/navigation";
import { UnrecognizedActionError } from "next/dist/client/components/unrecognized-action-error";
import { describe, expect, it } from "vitest";
import type { Answer } from "@/lib/outcome";
import { settingUpMessage, unavailableMessage } from "@/lib/unexpected-failure";
import { reachable, reachableForm, unansweredChange, unansweredForm } from "./reachable-action";
import { crossSiteMessage, oversizedMessage } from "./refusal-sentences";

/** A server action as a client component holds it: its call rejects when no answer comes. */
type Call = (id: string) => Promise<Answer<{ kept: boolean }>>;
const rejectingWith = (error: unknown): Call => async () => {
  throw error;
};

async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject");
}

describe("reachable", () => {
  it("hands over the action's own answer, success or refusal, unchanged", async () => {
    expect(await reachable(async (id: string) => ({ ok: true as const, kept: id === "run-1" }))("run-1")).toEqual({ ok: true, kept: true });
    const refusing: Call = async () => ({ ok: false, message: "That run is gone." });
    expect(await reachable(refusing)("run-1")).toEqual({ ok: false, message: "That run is gone." });
  });

  it("answers a lost connection (the browser's fetch failed) with a sentence that does not claim nothing was done", async () => {
    const answer = await reachable(rejectingWith(new TypeError("Failed to fetch")))("run-1");
    expect(answer).toEqual({ ok: false, message: unansweredChange.unknown });
    expect(unansweredChange.unknown).toContain("may not have");
    expect(await reachableForm(rejectingWith(new TypeError("Failed to fetch")))("run-1")).toEqual({ ok: false, message: unansweredForm.unknown });
    expect(unansweredForm.unknown).toContain("what you entered is still here");
  });

  it("answers any other response than the action's (a gateway's 502, a page instead of the action's answer) as not reached", async () => {
    expect(await reachableForm(rejectingWith(new Error("An unexpected response was received from the server.")))("run-1")).toEqual({ ok: false, message: unansweredForm.unknown });
  });

  it("says nothing was saved when Runlog's proxy refused the call during an outage or while setting up", async () => {
    expect(await reachableForm(rejectingWith(new Error(unavailableMessage)))("run-1")).toEqual({ ok: false, message: unansweredForm.refused });
    expect(await reachableForm(rejectingWith(new Error(settingUpMessage)))("run-1")).toEqual({ ok: false, message: unansweredForm.refused });
    expect(await reachable(rejectingWith(new Error(unavailableMessage)))("run-1")).toEqual({ ok: false, message: unansweredChange.refused });
  });

  it("shows the proxy's refusal of a form over 1 MB, or from another site, as it is: the person can act on it", async () => {
    expect(await reachableForm(rejectingWith(new Error(oversizedMessage)))("run-1")).toEqual({ ok: false, message: oversizedMessage });
    expect(await reachable(rejectingWith(new Error(crossSiteMessage)))("run-1")).toEqual({ ok: false, message: crossSiteMessage });
  });

  it("asks to reload when the server no longer knows the action (a deployment since the page was opened)", async () => {
    expect(await reachableForm(rejectingWith(new UnrecognizedActionError('Server Action "abc" was not found on the server.')))("run-1")).toEqual({ ok: false, message: unansweredForm.outdated });
  });

  it("passes Next's redirect and notFound on, so a redirecting action still navigates", async () => {
    const redirecting = await thrownBy(() => reachable<[string], object>(async () => redirect("/s/abc"))("run-1"));
    expect(redirecting).toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;/) });
    const missing = await thrownBy(() => reachable<[string], object>(async () => notFound())("run-1"));
    expect(missing).toMatchObject({ digest: expect.stringMatching(/^NEXT_HTTP_ERROR_FALLBACK;404/) });
  });
});
