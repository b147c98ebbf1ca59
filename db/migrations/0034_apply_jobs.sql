ALTER TYPE "public"."notification_kind" ADD VALUE 'apply_finished';--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "execution_id" uuid;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "failed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "apply" jsonb;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "stop_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD COLUMN "worker" text;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD CONSTRAINT "bulk_jobs_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_jobs_execution_idx" ON "bulk_jobs" USING btree ("execution_id");