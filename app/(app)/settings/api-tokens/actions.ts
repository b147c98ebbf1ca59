"use server";

import { createApiToken, revokeApiToken } from "@/lib/api-tokens/tokens";
import { action, formArgs } from "@/lib/http/action";

export const createApiTokenAction = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) => createApiToken(ctx, Object.fromEntries(form)),
  revalidate: ["/settings/api-tokens"],
});

export const revokeApiTokenAction = action({
  access: "member",
  run: (ctx, tokenId: string) => revokeApiToken(ctx, tokenId),
  revalidate: ["/settings/api-tokens"],
});
