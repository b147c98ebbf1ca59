import type { Metadata } from "next";

export const metadata: Metadata = { title: "Notifications" };

export default function NotificationSettingsPage() {
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Notifications</h1>
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">
        <p className="font-medium text-slate-800">Not available yet.</p>
        <p className="mt-1">
          This page will hold your alerts: completion of long runs, failures, a weekly summary email and a credit
          threshold per execution. Until then Runlog sends no notifications.
        </p>
      </div>
    </div>
  );
}
