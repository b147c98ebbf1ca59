import { bigserial, boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed attempts (sign-in, share-link passwords) counted per key over a window. A try is
 * written before its password is checked (`isBeingChecked`) and then kept as a failure or
 * deleted (lib/rate-limits/attempts.ts).
 */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    isBeingChecked: boolean("is_being_checked").notNull().default(false),
  },
  (t) => [index("rate_limit_hits_key_at_idx").on(t.key, t.at.desc())],
);
