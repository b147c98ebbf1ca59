/** An execution's input settings as a readable table: nested objects flatten to dotted names. */
export function SettingsTable({ settings }: { settings: Record<string, unknown> }) {
  const rows = flatten(settings);
  if (rows.length === 0) return <p className="p-4 text-slate-500">This run used the agent&apos;s default settings.</p>;
  return (
    <table className="min-w-full text-left">
      <tbody className="divide-y divide-slate-100">
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row" className="w-64 px-4 py-1.5 font-normal text-slate-500">{humanize(name)}</th>
            <td className="px-4 py-1.5 font-mono text-xs">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(value)) return [[prefix, value.length === 0 ? "none" : value.map(String).join(", ")]];
  return [[prefix, value === null || value === undefined ? "—" : String(value)]];
}

function humanize(name: string): string {
  return name
    .split(".")
    .map((part) => part.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase())
    .join(" › ")
    .replace(/^./, (c) => c.toUpperCase());
}
