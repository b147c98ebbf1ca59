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

/** The SQLSTATE of an error PostgreSQL (or PGlite) raised, read through drizzle's `cause` chain. */
export function sqlStateOf(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/**
 * Whether PostgreSQL refused a value it was given (class 22, data exception: a date or number
 * out of range, text it cannot read or store such as NUL): the request, not the server, is wrong.
 */
export function isRefusedValue(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith("22") ?? false;
}

/**
 * Whether a statement lost to other work and the same request may pass in a moment: a
 * serialization failure or deadlock (40001, 40P01), a lock not available (55P03), or a statement
 * canceled by its timeout (57014).
 */
export function isContention(error: unknown): boolean {
  return ["40001", "40P01", "55P03", "57014"].includes(sqlStateOf(error) ?? "");
}
