import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Runlog", template: "%s · Runlog" },
  description: "The execution history of your workspace's AI agents.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen text-sm">{children}</body>
    </html>
  );
}
