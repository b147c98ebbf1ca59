import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Failed attempts (sign-in, share-link passwords) counted per key over a window. */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rate_limit_hits_key_at_idx").on(t.key, t.at.desc())],
);
