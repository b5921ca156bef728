ALTER TABLE "backfill_job_progress" ADD COLUMN "records_updated" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "backfill_jobs" ADD COLUMN "total_records_updated" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "candles" ADD COLUMN "fetched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "candles" ADD COLUMN "revised" boolean DEFAULT false NOT NULL;