import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";
import { otherMethods } from "@/lib/http/other-methods";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: RouteContext) {
  return NextAuth(request as never, context as never, getAuthOptions());
}

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
