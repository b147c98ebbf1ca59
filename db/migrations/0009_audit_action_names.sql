-- Bulk decisions were written as recommendations.approved / .rejected / .pending, which the
-- audit filter's "Applies and edits" never matched; they become recommendation.decided with
-- the decision in their data, as lib/audit/record.ts now writes them.
UPDATE "audit_log"
SET "action" = 'recommendation.decided',
    "data" = coalesce("data", '{}'::jsonb) || jsonb_build_object('decision', substr("action", length('recommendations.') + 1))
WHERE "action" IN ('recommendations.approved', 'recommendations.rejected', 'recommendations.pending');
--> statement-breakpoint
-- The demo seed wrote member shares against the execution, with the share in the data; every
-- other share entry names the share and keeps the execution in the data.
UPDATE "audit_log"
SET "target_type" = 'share',
    "target_id" = "data"->>'shareId',
    "data" = ("data" - 'shareId') || jsonb_build_object('executionId', "target_id", 'kind', 'member')
WHERE "action" = 'share.created' AND "target_type" = 'execution' AND "data" ? 'shareId';
