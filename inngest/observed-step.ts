import type { RunStep } from "./client";
import { directStep } from "./embedded";

/**
 * The in-process step with hooks around each step: tests cancel a run after a given step or
 * stop it before one (as a killed process would), and the crash-test child reports each step.
 */
export function observedStep(hooks: { before?: (id: string) => void | Promise<void>; after?: (id: string) => void | Promise<void> }): RunStep {
  return {
    async run(id, work) {
      await hooks.before?.(id);
      const result = await directStep.run(id, work);
      await hooks.after?.(id);
      return result;
    },
    sendEvent: (id, event) => directStep.sendEvent(id, event),
  };
}
