type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler as the app's server would, with the token in the Authorization header (tests only). */
export async function callWithToken(handler: unknown, url: string, token: string, params: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  headers.set("x-runlog-socket-address", "203.0.113.9");
  return (handler as Handler)(new Request(new URL(url, "http://runlog.test"), { ...init, headers }), { params: Promise.resolve(params) });
}
