"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { setConnectionHealth } from "@/lib/platforms/health";

export type HealthFormState = { message: string; isError: boolean } | null;

export async function updateConnectionHealth(_previous: HealthFormState, formData: FormData): Promise<HealthFormState> {
  const ctx = await requireSessionContext();
  const blankToUndefined = (value: FormDataEntryValue | null) => (value === null || value === "" ? undefined : value);
  const result = await setConnectionHealth(ctx, {
    health: formData.get("health"),
    rateLimitPerSecond: blankToUndefined(formData.get("rateLimitPerSecond")),
    latencyMs: blankToUndefined(formData.get("latencyMs")),
  });
  revalidatePath("/settings/connection");
  return result.ok ? { message: "Saved.", isError: false } : { message: result.message, isError: true };
}
