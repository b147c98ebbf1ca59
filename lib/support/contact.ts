/**
 * Where people get help with a run: `RUNLOG_SUPPORT_EMAIL`, shown on the Help page and beside
 * the execution ID of a failed run. Unset (or not an address), the app points to the
 * workspace's admins instead.
 */
export function supportEmail(): string | null {
  const value = process.env.RUNLOG_SUPPORT_EMAIL?.trim();
  return value && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value) ? value : null;
}
