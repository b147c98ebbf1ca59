import { mockCtx } from "@inngest/test";

/**
 * For `InngestTestEngine`'s `transformCtx`: the test engine gives each replay of a function a
 * new run id, while Inngest keeps one for the whole function run — which run ownership relies
 * on (a run's owner is its function run). Steps stay mocked as the engine's default does.
 */
export const asOneFunctionRun: NonNullable<ConstructorParameters<typeof import("@inngest/test").InngestTestEngine>[0]["transformCtx"]> = (ctx) => ({ ...mockCtx(ctx), runId: "test-function-run" });
