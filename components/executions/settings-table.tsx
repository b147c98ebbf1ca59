import { flattenSettings, settingLabel } from "@/lib/executions/readable-settings";

/** An execution's input settings as a readable table: nested objects flatten to dotted names. */
export function SettingsTable({ settings }: { settings: Record<string, unknown> }) {
  const rows = flattenSettings(settings);
  if (rows.length === 0) return <p className="p-4 text-slate-600">This run used the agent&apos;s default settings.</p>;
  return (
    <table className="min-w-full text-left">
      <tbody className="divide-y divide-slate-100">
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row" className="w-64 px-4 py-1.5 font-normal text-slate-600">{settingLabel(name)}</th>
            <td className="px-4 py-1.5 font-mono text-xs">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
