"use client";

import { useTransition } from "react";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/app/(app)/notifications/actions";
import { Button } from "@/components/ui/button";

/** "Mark read" for one notice, or for all of them when no id is given. */
export function MarkReadButton({ id }: { id?: string }) {
  const [isPending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      variant={id ? "ghost" : "secondary"}
      disabled={isPending}
      onClick={() => startTransition(async () => void (id ? await markNotificationReadAction(id) : await markAllNotificationsReadAction()))}
    >
      {id ? "Mark read" : "Mark all read"}
    </Button>
  );
}
