"use server";

import { cookies, headers } from "next/headers";
import { deviceCookieName } from "@/lib/auth/device-cookie";
import { changePassword } from "@/lib/auth/password-change";
import { reissueSession } from "@/lib/auth/session";
import { action, formArgs } from "@/lib/http/action";
import { clientAddress } from "@/lib/rate-limits/client-address";

/** A new password: every other session of the person ends, this browser's goes on under the new session version. */
export const changePasswordAction = action({
  access: "member",
  input: formArgs,
  run: async (ctx, _previous: unknown, form: FormData) => {
    const changed = await changePassword(
      ctx,
      { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword"), confirmPassword: form.get("confirmPassword") },
      { ipAddress: clientAddress(await headers()) ?? "unknown", deviceCookie: (await cookies()).get(deviceCookieName)?.value },
    );
    if (changed.ok) await reissueSession(changed.sessionVersion);
    return changed;
  },
});
