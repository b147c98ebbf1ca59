"use client";

import { useActionState, useMemo, useState } from "react";
import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import { submissionIdField, useSubmissionId } from "@/components/ui/use-submission-id";
import { reachableForm } from "@/lib/http/reachable-action";
import type { Answer } from "@/lib/outcome";

type FormServerAction<T extends object> = (previous: unknown, form: FormData) => Promise<Answer<T>>;

/**
 * What the person entered in a form whose last save failed, for its fields' defaults. React gives a
 * select its default only when it mounts (react/react#32362), and the reset after an action goes
 * back to that one, so a select whose default comes from here is keyed on it too:
 * `<select key={scope} defaultValue={scope}>`.
 */
export type Entered = {
  /** The field's entered text after a failure, else the saved value. */
  text: (name: string, saved?: string | number | null) => string;
  /** Whether the checkbox `name` (with `value`) was ticked after a failure, else the saved state. */
  isChecked: (name: string, saved: boolean, value?: string) => boolean;
  /** The choice last sent, whether it was saved or not, else `first`: for a choice the next entry likely repeats (a token's kind). */
  chosen: (name: string, first: string) => string;
};

/**
 * useActionState for a form whose action is a server action answering an Answer. Once the page's
 * script runs, the call goes through reachableForm(), so a lost connection or an outage answers a
 * sentence in the form instead of replacing the page. React empties a form's fields (back to
 * their defaults) after its action, so after a failure `entered` gives the fields what was
 * submitted as their defaults: the person keeps what they typed and can send it again. Each try of
 * one entry carries the same submission id (`submissionId`, renewed after a success), so a create
 * whose answer was lost and is sent again answers what the first try made instead of making a
 * second (lib/submissions/create-once.ts). Before the script runs, the form posts to the server
 * action itself (without an id), which also works without JavaScript.
 */
export function useActionForm<T extends object>(serverAction: FormServerAction<T>) {
  const [sent, setSent] = useState<{ form: FormData; isSaved: boolean } | null>(null);
  const isHydrated = useIsHydrated();
  const submission = useSubmissionId();
  const keeping = useMemo(() => {
    const save = reachableForm(serverAction);
    return async (previous: Answer<T> | null, form: FormData): Promise<Answer<T>> => {
      const answer = await save(previous, form);
      if (answer.ok) submission.renew();
      setSent({ form, isSaved: answer.ok });
      return answer;
    };
  }, [serverAction, submission]);
  const [answer, dispatch, isPending] = useActionState<Answer<T> | null, FormData>(isHydrated ? keeping : serverAction, null);
  // The id goes in when the form is sent, not when its call runs: a second click sent before the
  // first answered waits in React's queue, and must not take the id renewed by that answer.
  const action = useMemo(() => (isHydrated ? (form: FormData) => {
    form.set(submissionIdField, submission.current());
    dispatch(form);
  } : dispatch), [isHydrated, dispatch, submission]);
  const entered = useMemo<Entered>(() => {
    const failed = sent && !sent.isSaved ? sent.form : null;
    return {
      text: (name, saved) => (failed ? String(failed.get(name) ?? "") : String(saved ?? "")),
      isChecked: (name, saved, value = "on") => (failed ? failed.getAll(name).includes(value) : saved),
      chosen: (name, first) => String(sent?.form.get(name) ?? first),
    };
  }, [sent]);
  return { answer, action, isPending, entered };
}

