"use client";

import { useTransition } from "react";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/app/(app)/notifications/actions";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toaster";
import { reachable } from "@/lib/http/reachable-action";

/** "Mark read" for one notice, or for all of them when no id is given. */
export function MarkReadButton({ id }: { id?: string }) {
  const [isPending, startTransition] = useTransition();
  const toast = useToast();
  return (
    <Button
      type="button"
      variant={id ? "ghost" : "secondary"}
      disabled={isPending}
      onClick={() => startTransition(async () => {
        const answer = id ? await reachable(markNotificationReadAction)(id) : await reachable(markAllNotificationsReadAction)();
        if (!answer.ok) toast(answer.message, { isError: true });
      })}
    >
      {id ? "Mark read" : "Mark all read"}
    </Button>
  );
}
