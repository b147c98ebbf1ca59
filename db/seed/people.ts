import type { MemberRole } from "@/db/schema";

export const demoPassword = "runlog-demo";

export type SeedUser = { key: string; email: string; name: string; timeZone: string };
export type SeedWorkspace = {
  key: "acme" | "globex";
  name: string;
  members: { userKey: string; role: MemberRole; weight: number }[];
  initialGrant: number;
  monthlyGrant: number;
  executionCount: number;
};

export const seedUsers: SeedUser[] = [
  { key: "acme-admin", email: "admin@acme.test", name: "Avery Admin", timeZone: "Europe/Berlin" },
  { key: "maya", email: "maya@acme.test", name: "Maya Marketer", timeZone: "America/New_York" },
  { key: "sam", email: "sam@acme.test", name: "Sam Seller", timeZone: "Europe/London" },
  { key: "lee", email: "lee@acme.test", name: "Lee Analyst", timeZone: "UTC" },
  { key: "globex-admin", email: "admin@globex.test", name: "Grace Globex", timeZone: "America/Chicago" },
  { key: "gina", email: "gina@globex.test", name: "Gina Growth", timeZone: "Asia/Tokyo" },
];

export const seedWorkspaces: SeedWorkspace[] = [
  {
    key: "acme",
    name: "Acme Outfitters",
    members: [
      { userKey: "acme-admin", role: "admin", weight: 40 },
      { userKey: "maya", role: "member", weight: 25 },
      { userKey: "sam", role: "member", weight: 20 },
      { userKey: "lee", role: "member", weight: 15 },
    ],
    initialGrant: 20_000,
    monthlyGrant: 6_000,
    executionCount: 1_560,
  },
  {
    key: "globex",
    name: "Globex Goods",
    members: [
      { userKey: "globex-admin", role: "admin", weight: 60 },
      { userKey: "gina", role: "member", weight: 40 },
      // Maya belongs to both workspaces (for the workspace switcher) but ran nothing here.
      { userKey: "maya", role: "member", weight: 0 },
    ],
    initialGrant: 5_000,
    monthlyGrant: 1_000,
    executionCount: 150,
  },
];
