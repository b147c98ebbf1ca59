import { z } from "zod";
import { failure, type Outcome } from "@/lib/outcome";

/** The most executions one bulk action (delete, cancel) takes: one page of the history list. */
const maxSelection = 200;

/** The executions a person ticked in the history list, or the one a row or detail page acts on. */
const executionSelection = z
  .array(z.uuid({ error: "Each selected id must be an execution id." }), { error: "Send the selected executions as a list of ids." })
  .min(1, "Select at least one execution.")
  .max(maxSelection, `Select at most ${maxSelection} executions at a time.`);

/** Distinct ids in the order given, or one sentence saying what is wrong with the list. */
export function parseSelection(raw: unknown): Outcome<{ ids: string[] }> {
  const parsed = executionSelection.safeParse(raw);
  if (!parsed.success) {
    // Issues name array positions ("3: …"), which mean nothing to a person; each sentence once is enough.
    return failure("invalid_input", [...new Set(parsed.error.issues.map((issue) => issue.message))].join(" "));
  }
  return { ok: true, ids: [...new Set(parsed.data.map((id) => id.toLowerCase()))] };
}
