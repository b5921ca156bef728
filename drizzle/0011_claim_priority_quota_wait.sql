ALTER TABLE "backfill_job_progress" ADD COLUMN "priority" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "backfill_job_progress" ADD COLUMN "quota_wait_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backfill_job_progress" ADD COLUMN "quota_wait_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "backfill_job_progress_claim_order_idx" ON "backfill_job_progress" USING btree ("priority","id") WHERE status in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "backfill_job_progress_history_turn_idx" ON "backfill_job_progress" USING btree ("priority" DESC NULLS LAST,"id") WHERE status in ('pending', 'running');