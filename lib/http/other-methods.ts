import { failure } from "@/lib/outcome";
import { failureResponse } from "./failure-response";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Refusal = (request: Request) => Response;
const methods: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Handlers for the methods a route does not answer: 405 with one sentence and `Allow`, where
 * Next would answer an empty 405, and OPTIONS naming only the methods it takes. A route file
 * exports the ones it lacks: `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");`.
 */
export function otherMethods(...answered: Method[]): Record<Method | "OPTIONS", Refusal> {
  const allow = [...answered, ...(answered.includes("GET") ? ["HEAD"] : [])].join(", ");
  const refuse: Refusal = (request) =>
    failureResponse(failure("method_not_allowed", `${new URL(request.url).pathname} answers ${answered.join(" and ")}, not ${request.method}.`), { Allow: allow });
  // Next's own OPTIONS would list the refusals above as methods the route takes.
  const options: Refusal = () => new Response(null, { status: 204, headers: { Allow: `${allow}, OPTIONS` } });
  return { ...(Object.fromEntries(methods.map((m) => [m, refuse])) as Record<Method, Refusal>), OPTIONS: options };
}
