/**
 * An execution's settings as people read them: nested objects flatten to dotted names
 * (`scope.maxItems`), lists join with commas, and names become labels ("Scope › max items").
 * The details page's settings table and the comparison's settings differences share it.
 */
export function flattenSettings(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flattenSettings(inner, prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(value)) return [[prefix, value.length === 0 ? "none" : value.map(String).join(", ")]];
  return [[prefix, value === null || value === undefined ? "—" : String(value)]];
}

export function settingLabel(name: string): string {
  return name
    .split(".")
    .map((part) => part.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase())
    .join(" › ")
    .replace(/^./, (c) => c.toUpperCase());
}
