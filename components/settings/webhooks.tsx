"use client";

import { useState, useTransition } from "react";
import { createWebhookAction, deleteWebhookAction, replayWebhookDeliveryAction, setPrivateWebhooksAllowedAction } from "@/app/(app)/settings/webhooks/actions";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";
import { useSavedToggle } from "@/components/ui/use-saved-toggle";
import { reachable } from "@/lib/http/reachable-action";

const field = "rounded-md border border-slate-300 px-2 py-1.5";

export function WebhookForm({ events }: { events: { name: string; description: string }[] }) {
  const { answer, action, isPending, entered } = useActionForm(createWebhookAction);
  const format = entered.text("format", "json");
  return (
    <form action={action} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="font-medium">New webhook</h2>
      <label className="flex flex-col gap-1">
        <span className="text-slate-600">Endpoint URL</span>
        <input name="url" type="url" required placeholder="https://hooks.example.com/runlog" defaultValue={entered.text("url")} className={field} />
      </label>
      <fieldset className="space-y-1">
        <legend className="text-slate-600">Events</legend>
        {events.map((event) => (
          <label key={event.name} className="flex items-start gap-2">
            <input type="checkbox" name="events" value={event.name} defaultChecked={entered.isChecked("events", event.name.startsWith("execution."), event.name)} className="mt-1 size-4 accent-indigo-600" />
            <span><code>{event.name}</code> <span className="text-slate-500">— {event.description}</span></span>
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap gap-4">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Payload</span>
          <select name="format" key={format} defaultValue={format} className={field}>
            <option value="json">JSON event</option>
            <option value="slack">Slack-compatible text</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Secret (empty: generated)</span>
          <input name="secret" minLength={16} maxLength={200} autoComplete="off" defaultValue={entered.text("secret")} className={field} />
        </label>
      </div>
      {answer && !answer.ok && <p role="alert" className="text-rose-700">{answer.message}</p>}
      {answer?.ok && <p role="status" className="text-emerald-700">Added. Its signing secret is under the endpoint below.</p>}
      <Button type="submit" disabled={isPending}>Add webhook</Button>
    </form>
  );
}

export function PrivateWebhooksToggle({ isAllowed }: { isAllowed: boolean }) {
  const { shown, isPending, error, toggle } = useSavedToggle(isAllowed, setPrivateWebhooksAllowedAction);
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <label className="flex items-start gap-3">
        <input type="checkbox" className="mt-1 size-4 accent-indigo-600" checked={shown} disabled={isPending} onChange={(e) => toggle(e.target.checked)} />
        <span>
          <span className="font-medium">Allow private addresses</span>
          <span className="block text-slate-500">Off, webhooks deliver only to public addresses: never to loopback, private networks or link-local addresses (such as a cloud&apos;s metadata service). Turn on only for an endpoint inside your own network.</span>
        </span>
      </label>
      {error && <p role="alert" className="mt-2 text-rose-700">{error}</p>}
    </div>
  );
}

export function DeleteWebhookButton({ webhookId, url }: { webhookId: string; url: string }) {
  const [isPending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <Button
        variant="secondary"
        disabled={isPending}
        aria-label={`Remove the webhook to ${url}`}
        onClick={() => {
          if (!window.confirm(`Remove the webhook to ${url}? Its delivery log goes with it.`)) return;
          startTransition(async () => {
            const answer = await reachable(deleteWebhookAction)(webhookId);
            setError(answer.ok ? null : answer.message);
          });
        }}
      >
        Remove
      </Button>
      {error && <span role="alert" className="block text-rose-700">{error}</span>}
    </span>
  );
}

export function ReplayDeliveryButton({ deliveryId }: { deliveryId: string }) {
  const [isPending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span>
      <Button
        variant="ghost"
        disabled={isPending}
        onClick={() =>
          startTransition(async () => {
            const answer = await reachable(replayWebhookDeliveryAction)(deliveryId);
            setMessage(answer.ok ? (answer.outcome === "succeeded" ? "Delivered." : "Sent; it did not succeed (see the log).") : answer.message);
          })
        }
      >
        Send again
      </Button>
      {message && <span role="status" className="block text-xs text-slate-600">{message}</span>}
    </span>
  );
}
