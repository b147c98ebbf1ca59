import { serve } from "inngest/next";
import { inngest, isInngestConfigured } from "@/inngest/client";
import { inngestFunctions } from "@/inngest/functions";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

const handlers = serve({ client: inngest, functions: inngestFunctions });

// With no Inngest configured, executions run in-process and nothing calls this endpoint;
// answering plainly beats the SDK's 500 for a missing signing key.
function notConfigured() {
  return failureResponse(failure("not_found", "Inngest is not configured here; executions run in-process."));
}

export const GET = (...args: Parameters<typeof handlers.GET>) => (isInngestConfigured() ? handlers.GET(...args) : notConfigured());
export const POST = (...args: Parameters<typeof handlers.POST>) => (isInngestConfigured() ? handlers.POST(...args) : notConfigured());
export const PUT = (...args: Parameters<typeof handlers.PUT>) => (isInngestConfigured() ? handlers.PUT(...args) : notConfigured());
