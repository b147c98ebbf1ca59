"use server";

import { action } from "@/lib/http/action";
import { restoreArchivedExecution } from "@/lib/retention/keep";

export const restoreArchivedAction = action({
  access: "member",
  run: (ctx, executionId: string) => restoreArchivedExecution(ctx, executionId),
  revalidate: [{ layout: "/" }],
});
