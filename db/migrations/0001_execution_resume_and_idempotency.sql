ALTER TABLE "executions" ADD COLUMN "item_cursor" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "executions_idempotency_key" ON "executions" USING btree ("workspace_id","idempotency_key");