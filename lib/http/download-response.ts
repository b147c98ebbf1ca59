import { attachmentDisposition } from "@/lib/exports/file-name";

/** A file download that streams: saved under its name, never cached by a shared proxy. */
export function downloadResponse(file: { fileName: string; contentType: string; stream: ReadableStream<Uint8Array>; sizeBytes?: number; fileId?: string }): Response {
  const headers = new Headers({
    "Content-Type": file.contentType,
    "Content-Disposition": attachmentDisposition(file.fileName),
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
  if (file.sizeBytes !== undefined) headers.set("Content-Length", String(file.sizeBytes));
  // Where the same file can be fetched again for 30 days.
  if (file.fileId) headers.set("X-Report-File", `/api/report-files/${file.fileId}`);
  return new Response(file.stream, { headers });
}
