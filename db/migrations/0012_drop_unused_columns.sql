ALTER TABLE "workspaces" DROP COLUMN "report_file_days";--> statement-breakpoint
ALTER TABLE "report_files" DROP COLUMN "content";--> statement-breakpoint
ALTER TABLE "report_files" DROP COLUMN "storage_key";