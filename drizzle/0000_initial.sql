CREATE TABLE "backfill_job_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"symbol" text,
	"timeframe" text,
	"message" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "backfill_job_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"range_start" timestamp with time zone NOT NULL,
	"range_end" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"records_fetched" bigint DEFAULT 0 NOT NULL,
	"records_inserted" bigint DEFAULT 0 NOT NULL,
	"duration_seconds" double precision,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"attempt_limit" integer DEFAULT 5 NOT NULL,
	"worker_id" text,
	"lease_expires_at" timestamp with time zone,
	"cursor_ts" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backfill_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"symbols" text[] NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"timeframes" text[] NOT NULL,
	"provider" text NOT NULL,
	"refetch" boolean DEFAULT false NOT NULL,
	"origin" text DEFAULT 'manual' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress_pct" double precision DEFAULT 0 NOT NULL,
	"symbols_completed" integer DEFAULT 0 NOT NULL,
	"symbols_total" integer DEFAULT 0 NOT NULL,
	"total_records_inserted" bigint DEFAULT 0 NOT NULL,
	"current_symbol" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "candles" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" double precision NOT NULL,
	"vwap" double precision,
	"trades" integer,
	"source" text NOT NULL,
	CONSTRAINT "candles_symbol_timeframe_ts_pk" PRIMARY KEY("symbol","timeframe","ts")
);
--> statement-breakpoint
CREATE TABLE "series_coverage" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"first_ts" timestamp with time zone,
	"last_ts" timestamp with time zone,
	"count" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "series_coverage_symbol_timeframe_pk" PRIMARY KEY("symbol","timeframe")
);
--> statement-breakpoint
CREATE TABLE "symbols" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text,
	"asset_class" text DEFAULT 'equity' NOT NULL,
	"exchange" text,
	"currency" text,
	"provider" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backfill_job_events" ADD CONSTRAINT "backfill_job_events_job_id_backfill_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."backfill_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_job_progress" ADD CONSTRAINT "backfill_job_progress_job_id_backfill_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."backfill_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backfill_job_events_job_idx" ON "backfill_job_events" USING btree ("job_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "backfill_job_progress_unit_idx" ON "backfill_job_progress" USING btree ("job_id","symbol","timeframe","range_start");--> statement-breakpoint
CREATE INDEX "backfill_job_progress_claim_idx" ON "backfill_job_progress" USING btree ("status","lease_expires_at") WHERE status in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "backfill_job_progress_symbol_idx" ON "backfill_job_progress" USING btree ("symbol","completed_at");--> statement-breakpoint
CREATE INDEX "backfill_jobs_created_at_idx" ON "backfill_jobs" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "backfill_jobs_active_idx" ON "backfill_jobs" USING btree ("status") WHERE status in ('queued', 'running');