import { and, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DayRange } from "./params";

/**
 * A time column within the UTC days `from` to `to`, both inclusive (either may be open): the
 * one day-range filter of every list, so a day means the same midnight-to-midnight UTC
 * everywhere, whatever the database session's time zone. The bounds are constants, so an
 * index on the column serves them.
 */
export function withinUtcDays(column: SQLWrapper, range: DayRange): SQL | undefined {
  return and(
    range.from ? sql`${column} >= (${range.from}::date)::timestamp at time zone 'UTC'` : undefined,
    range.to ? sql`${column} < (${range.to}::date + 1)::timestamp at time zone 'UTC'` : undefined,
  );
}
