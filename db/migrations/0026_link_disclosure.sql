ALTER TABLE "shares" ADD COLUMN "shows_credits" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "shares" ADD COLUMN "shows_names" boolean DEFAULT false NOT NULL;