ALTER TABLE "executions" ADD COLUMN "kept_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "kept_by" uuid;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "retention_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_kept_by_users_id_fk" FOREIGN KEY ("kept_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;