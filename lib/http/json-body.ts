import { failure, type Outcome } from "@/lib/outcome";

const maxBodyBytes = 1_000_000;

/** A route's JSON request body, or a 4xx sentence for one that is missing, too large or not JSON. */
export async function readJsonBody(request: Request): Promise<Outcome<{ body: unknown }>> {
  const text = await request.text();
  if (text.length > maxBodyBytes) return failure("too_large", "The request body is larger than 1 MB.");
  if (!text.trim()) return failure("invalid_input", "Send a JSON body (Content-Type: application/json).");
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return failure("invalid_input", "The request body is not valid JSON.");
  }
}
