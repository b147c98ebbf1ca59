CREATE TABLE "usage_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"credits_used" integer DEFAULT 0 NOT NULL,
	"items_in_scope" integer DEFAULT 0 NOT NULL,
	"recommendations" integer DEFAULT 0 NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_daily_workspace_id_day_agent_id_user_id_pk" PRIMARY KEY("workspace_id","day","agent_id","user_id")
);
--> statement-breakpoint
DROP INDEX "credit_ledger_workspace_at_idx";--> statement-breakpoint
DROP INDEX "audit_log_workspace_at_idx";--> statement-breakpoint
DROP INDEX "audit_log_action_idx";--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_daily_workspace_user_idx" ON "usage_daily" USING btree ("workspace_id","user_id","day");--> statement-breakpoint
CREATE INDEX "credit_ledger_user_at_idx" ON "credit_ledger" USING btree ("workspace_id","user_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("workspace_id","actor_user_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "credit_ledger_workspace_at_idx" ON "credit_ledger" USING btree ("workspace_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_workspace_at_idx" ON "audit_log" USING btree ("workspace_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("workspace_id","action","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);
--> statement-breakpoint
-- Rebuilds one workspace's usage_daily from the ledger and recommendations: the one
-- definition of what the rollup holds (lib/credits/usage.ts keeps it up to date row by row).
-- Usage belongs to the member a run is charged to: its starter, or its workflow's creator,
-- as the ledger rows of its reservation and refund record.
CREATE OR REPLACE FUNCTION runlog_rebuild_usage_daily(ws uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM usage_daily WHERE workspace_id = ws;
  INSERT INTO usage_daily (workspace_id, day, agent_id, user_id, runs, credits_used, items_in_scope, recommendations, applied)
  SELECT ws, day, agent_id, user_id, sum(runs)::int, sum(credits_used)::int, sum(items_in_scope)::int, sum(recommendations)::int, sum(applied)::int
  FROM (
    SELECT (l.at AT TIME ZONE 'UTC')::date AS day, l.agent_id, coalesce(l.user_id, '00000000-0000-0000-0000-000000000000'::uuid) AS user_id,
      (l.kind = 'reserve')::int AS runs, -l.amount AS credits_used, coalesce(e.items_total, 0) AS items_in_scope, 0 AS recommendations, 0 AS applied
    FROM credit_ledger l
    LEFT JOIN executions e ON e.id = l.execution_id AND e.workspace_id = ws AND l.kind = 'reserve'
    WHERE l.workspace_id = ws AND l.agent_id IS NOT NULL AND l.kind IN ('reserve', 'refund')
    UNION ALL
    SELECT (CASE WHEN counted.is_apply THEN rec.applied_at ELSE rec.created_at END AT TIME ZONE 'UTC')::date, e.agent_id,
      coalesce(e.triggered_by, w.created_by, '00000000-0000-0000-0000-000000000000'::uuid), 0, 0, 0, (NOT counted.is_apply)::int, counted.is_apply::int
    FROM recommendations rec
    JOIN executions e ON e.id = rec.execution_id AND e.workspace_id = ws
    LEFT JOIN workflows w ON w.id = e.workflow_id
    CROSS JOIN LATERAL (VALUES (false), (true)) AS counted(is_apply)
    WHERE rec.workspace_id = ws AND (NOT counted.is_apply OR (rec.status = 'applied' AND rec.applied_at IS NOT NULL))
  ) usage
  GROUP BY day, agent_id, user_id;
$$;
--> statement-breakpoint
SELECT runlog_rebuild_usage_daily(id) FROM workspaces;
