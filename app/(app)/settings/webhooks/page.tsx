import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { PrivateWebhooksToggle, ReplayDeliveryButton, WebhookForm, DeleteWebhookButton } from "@/components/settings/webhooks";
import { LocalTime } from "@/components/ui/local-time";
import { requireSessionContext } from "@/lib/auth/session";
import { webhookEvents } from "@/lib/webhooks/events";
import { getWebhookSettings, listWebhookDeliveries } from "@/lib/webhooks/settings";
import { PageHeader } from "@/components/ui/page-header";
import { SideScroll } from "@/components/ui/side-scroll";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const ctx = await requireSessionContext();
  const settings = await getWebhookSettings(ctx);
  if (!settings) forbidden();
  const deliveries = await listWebhookDeliveries(ctx);
  return (
    <div className="max-w-5xl space-y-5">
      <PageHeader title="Webhooks">
        Runlog POSTs each event to your endpoints, signed with the webhook&apos;s secret in the <code>Runlog-Signature</code> header (how to check it: the README&apos;s Webhooks section). Failed deliveries are retried for about 7 hours.
      </PageHeader>
      <WebhookForm events={Object.entries(webhookEvents).map(([name, description]) => ({ name, description }))} />
      <PrivateWebhooksToggle isAllowed={settings.allowPrivate} />
      <section className="space-y-2">
        <h2 className="font-medium">Endpoints</h2>
        {settings.webhooks.length === 0 && <p className="text-slate-500">No webhooks yet.</p>}
        {settings.webhooks.map((hook) => (
          <div key={hook.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="webhook">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <p className="break-all font-mono text-sm">{hook.url}</p>
                <p className="text-slate-500">{hook.events.join(", ")} · {hook.format === "slack" ? "Slack-compatible text" : "JSON"}</p>
              </div>
              <DeleteWebhookButton webhookId={hook.id} url={hook.url} />
            </div>
            <details className="mt-2">
              <summary className="cursor-pointer text-slate-600">Signing secret</summary>
              <code className="break-all text-sm">{hook.secret}</code>
            </details>
          </div>
        ))}
      </section>
      <section className="space-y-2">
        <h2 className="font-medium">Delivery log</h2>
        <SideScroll label="Delivery log" className="rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Webhook deliveries, newest first</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">When</th>
                <th scope="col" className="px-3 py-2 font-medium">Event</th>
                <th scope="col" className="px-3 py-2 font-medium">Endpoint</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 font-medium">Attempts</th>
                <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Replay</span></th>
              </tr>
            </thead>
            <tbody>
              {deliveries.length === 0 && <tr><td colSpan={6} className="px-3 py-4 text-slate-500">Nothing delivered yet.</td></tr>}
              {deliveries.map((d) => (
                <tr key={d.id} className="border-t border-slate-100 align-top" data-testid="webhook-delivery">
                  <td className="px-3 py-2"><LocalTime iso={d.createdAt.toISOString()} />{d.replayOf && <span className="block text-xs text-slate-500">sent again</span>}</td>
                  <td className="px-3 py-2">{d.event}</td>
                  <td className="max-w-64 truncate px-3 py-2 font-mono text-xs" title={d.url}>{d.url}</td>
                  <td className="px-3 py-2">{d.status === "pending" ? (d.nextAttemptAt ? "Retrying" : "Sending") : d.status === "succeeded" ? "Delivered" : "Failed"}</td>
                  <td className="px-3 py-2">
                    <ol className="space-y-0.5">
                      {d.attemptLog.map((a) => (
                        <li key={a.id}><LocalTime iso={a.at.toISOString()} />: {a.responseStatus ? `HTTP ${a.responseStatus}` : "not sent"}{a.error && !a.isSuccess ? ` — ${a.error}` : ""} ({a.durationMs} ms)</li>
                      ))}
                    </ol>
                  </td>
                  <td className="px-3 py-2 text-right"><ReplayDeliveryButton deliveryId={d.id} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </SideScroll>
      </section>
    </div>
  );
}
