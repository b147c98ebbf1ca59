DROP INDEX "executions_history_idx";--> statement-breakpoint
DROP INDEX "executions_agent_idx";--> statement-breakpoint
DROP INDEX "executions_status_idx";--> statement-breakpoint
DROP INDEX "executions_triggered_by_idx";--> statement-breakpoint
DROP INDEX "executions_workflow_idx";--> statement-breakpoint
CREATE INDEX "executions_triggered_by_status_idx" ON "executions" USING btree ("workspace_id","triggered_by","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE archived_at is null and triggered_by is not null;--> statement-breakpoint
CREATE INDEX "executions_workflow_status_idx" ON "executions" USING btree ("workspace_id","workflow_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"triggered_by") WHERE archived_at is null and workflow_id is not null;--> statement-breakpoint
CREATE INDEX "executions_history_idx" ON "executions" USING btree ("workspace_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "executions_agent_idx" ON "executions" USING btree ("workspace_id","agent_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "executions_status_idx" ON "executions" USING btree ("workspace_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE archived_at is null;--> statement-breakpoint
CREATE INDEX "executions_triggered_by_idx" ON "executions" USING btree ("workspace_id","triggered_by","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "executions_workflow_idx" ON "executions" USING btree ("workflow_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"workspace_id","status","triggered_by","archived_at");