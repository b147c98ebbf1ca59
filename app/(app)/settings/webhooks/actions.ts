"use server";

import { action, formArgs } from "@/lib/http/action";
import { createWebhook, deleteWebhook, replayWebhookDelivery, setPrivateWebhooksAllowed } from "@/lib/webhooks/settings";

export const createWebhookAction = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) => createWebhook(ctx, { url: form.get("url"), events: form.getAll("events"), format: form.get("format") ?? undefined, secret: form.get("secret") ?? undefined, submissionId: form.get("submissionId") }),
  revalidate: ["/settings/webhooks"],
});

export const deleteWebhookAction = action({
  access: "member",
  run: (ctx, webhookId: string) => deleteWebhook(ctx, webhookId),
  revalidate: ["/settings/webhooks"],
});

export const setPrivateWebhooksAllowedAction = action({
  access: "member",
  run: (ctx, isAllowed: boolean) => setPrivateWebhooksAllowed(ctx, isAllowed),
  revalidate: ["/settings/webhooks"],
});

export const replayWebhookDeliveryAction = action({
  access: "member",
  run: (ctx, deliveryId: string) => replayWebhookDelivery(ctx, deliveryId),
  revalidate: ["/settings/webhooks"],
});
