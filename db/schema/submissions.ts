import { pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users, workspaces } from "./workspaces";

/** The creates a form's submission id guards (lib/submissions/create-once.ts). */
export type SubmissionKind = "webhook" | "api_token" | "share_link" | "workflow" | "saved_view";

/**
 * What each create sent with a submission id made: a form sends the same id with every try of
 * one entry, so a try whose answer was lost and is sent again answers what the first made
 * instead of making a second. Keyed by workspace and person, so an id tells nobody else anything.
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").$type<SubmissionKind>().notNull(),
    submissionId: uuid("submission_id").notNull(),
    /** The id of the row the create made (a webhook, a token, a share, …). */
    createdId: uuid("created_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId, t.kind, t.submissionId] })],
);
