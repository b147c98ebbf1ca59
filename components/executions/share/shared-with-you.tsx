import { LocalTime } from "@/components/ui/local-time";
import type { ShareWithMe } from "@/lib/shares/access";

/** On a run someone shared with this person: who shared it, what they may do, and the message. */
export function SharedWithYou({ share }: { share: ShareWithMe }) {
  return (
    <section aria-label="Shared with you" data-testid="shared-with-you" className="rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-3 text-indigo-950">
      <p>
        Shared by <span className="font-medium">{share.sharedByName ?? "a former member"}</span>
        {" · "}{share.permission === "apply" ? "can apply" : "view only"}
        {" · "}<LocalTime iso={share.sharedAt.toISOString()} />
        {share.message && <>{" · "}<q className="italic">{share.message}</q></>}
      </p>
    </section>
  );
}
