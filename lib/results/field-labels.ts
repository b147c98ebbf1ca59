/**
 * Recommendation fields as people read them: "Image 6 size" rather than `images.5.bytes`,
 * sizes in KB and MB rather than a count of bytes. Runs in the browser too.
 */
const named: Record<string, string> = { title: "Title", description: "Description", meta_description: "Meta description" };

export function fieldLabel(field: string): string {
  const image = /^images\.(\d+)\.(\w+)$/.exec(field);
  if (image) return `Image ${Number(image[1]) + 1} ${image[2] === "bytes" ? "size" : image[2] === "alt" ? "alt text" : image[2]!.replace(/_/g, " ")}`;
  return named[field] ?? field.replace(/[._]/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Whether a field holds a size in bytes: shown in KB or MB and compared as numbers, not diffed as text. */
export function isByteSize(field: string): boolean {
  return /\.bytes$/.test(field);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, "")} MB`;
}

/** A field's value as shown: sizes formatted, text as it is. */
export function formatFieldValue(field: string, value: string | null): string | null {
  if (value === null || !isByteSize(field) || !/^\d+$/.test(value)) return value;
  return formatBytes(Number(value));
}
