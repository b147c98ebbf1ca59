/**
 * Whether an error is PostgreSQL refusing a row because another already holds the same unique
 * key (SQLSTATE 23505), optionally that of one named constraint. Drizzle wraps the driver's
 * error as its `cause`, so the whole chain is read.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint_name: postgresName, constraint: pgliteName } = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (code === "23505") return constraint === undefined || postgresName === constraint || pgliteName === constraint;
  }
  return false;
}
