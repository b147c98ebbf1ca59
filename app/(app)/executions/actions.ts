"use server";

import { action } from "@/lib/http/action";
import { cancelExecutions } from "@/lib/executions/bulk-cancel";
import { deleteExecutions } from "@/lib/executions/delete";

/** Deletes one or several executions (the row menu and the bulk bar). */
export const deleteExecutionsAction = action({
  access: "member",
  run: (ctx, ids: string[]) => deleteExecutions(ctx, ids),
  revalidate: ["/executions"],
});

/** Asks the selected running or queued executions to stop. */
export const cancelExecutionsAction = action({
  access: "member",
  run: (ctx, ids: string[]) => cancelExecutions(ctx, ids),
  revalidate: [{ layout: "/" }],
});
