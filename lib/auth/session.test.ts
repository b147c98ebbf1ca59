import { describe, expect, it } from "vitest";
import { chooseWorkspace, workspaceCookie, type SessionContext } from "./session";

const acme = "6f1c3a52-1d7e-4c55-9a0e-2b1c00000001";
const globex = "6f1c3a52-1d7e-4c55-9a0e-2b1c00000002";
const maya: SessionContext = {
  userId: "6f1c3a52-1d7e-4c55-9a0e-2b1c000000aa", workspaceId: acme, role: "member",
  user: { id: "6f1c3a52-1d7e-4c55-9a0e-2b1c000000aa", name: "Maya", email: "maya@acme.test" },
  workspace: { id: acme, name: "Acme Outfitters" },
  memberships: [{ workspaceId: acme, workspaceName: "Acme Outfitters", role: "member" }, { workspaceId: globex, workspaceName: "Globex Goods", role: "member" }],
};

describe("chooseWorkspace", () => {
  it("remembers one of the person's workspaces for a year", () => {
    expect(chooseWorkspace(maya, { workspaceId: globex })).toEqual({ ok: true, cookie: { name: workspaceCookie, value: globex, path: "/", maxAge: 365 * 24 * 3600 } });
  });

  it("refuses a workspace they are not a member of, and anything that is not an id", () => {
    for (const workspaceId of ["6f1c3a52-1d7e-4c55-9a0e-2b1c00000003", "'; drop table users; --", null, 42]) {
      expect(chooseWorkspace(maya, { workspaceId })).toMatchObject({ ok: false, code: "not_found" });
    }
  });
});
