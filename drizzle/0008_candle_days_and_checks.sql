CREATE TABLE "candle_days" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"bars" integer NOT NULL,
	CONSTRAINT "candle_days_symbol_timeframe_day_source_pk" PRIMARY KEY("symbol","timeframe","day","source")
);
--> statement-breakpoint
CREATE TABLE "candles_quarantine" (
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
	"fetched_at" timestamp with time zone,
	"revised" boolean DEFAULT false NOT NULL,
	"quarantined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backfill_job_progress" ADD CONSTRAINT "backfill_job_progress_status_known" CHECK (status in ('pending', 'running', 'completed', 'failed', 'cancelled'));--> statement-breakpoint
ALTER TABLE "backfill_jobs" ADD CONSTRAINT "backfill_jobs_status_known" CHECK (status in ('queued', 'running', 'completed', 'failed', 'cancelled'));--> statement-breakpoint
-- Rows that are not candles move aside before the constraint that forbids them: nothing is lost.
WITH "moved" AS (
	DELETE FROM "candles"
	WHERE NOT ("high" >= "low" AND "high" >= greatest("open", "close") AND "low" <= least("open", "close") AND "volume" >= 0)
	RETURNING *
)
INSERT INTO "candles_quarantine" ("symbol", "timeframe", "ts", "open", "high", "low", "close", "volume", "vwap", "trades", "source", "fetched_at", "revised")
SELECT "symbol", "timeframe", "ts", "open", "high", "low", "close", "volume", "vwap", "trades", "source", "fetched_at", "revised" FROM "moved";--> statement-breakpoint
-- The series they left keep a true summary.
UPDATE "series_coverage" AS c SET "count" = s."n", "first_ts" = s."f", "last_ts" = s."l", "updated_at" = now()
FROM (
	SELECT "symbol", "timeframe", count(*) AS "n", min("ts") AS "f", max("ts") AS "l" FROM "candles"
	WHERE ("symbol", "timeframe") IN (SELECT DISTINCT "symbol", "timeframe" FROM "candles_quarantine")
	GROUP BY 1, 2
) AS s
WHERE c."symbol" = s."symbol" AND c."timeframe" = s."timeframe";--> statement-breakpoint
DELETE FROM "series_coverage" AS c
WHERE ("symbol", "timeframe") IN (SELECT DISTINCT "symbol", "timeframe" FROM "candles_quarantine")
  AND NOT EXISTS (SELECT 1 FROM "candles" WHERE "symbol" = c."symbol" AND "timeframe" = c."timeframe");--> statement-breakpoint
ALTER TABLE "candles" ADD CONSTRAINT "candles_ohlc_sane" CHECK ("candles"."high" >= "candles"."low" and "candles"."high" >= greatest("candles"."open", "candles"."close") and "candles"."low" <= least("candles"."open", "candles"."close") and "candles"."volume" >= 0);--> statement-breakpoint
-- The gap index of what is already stored.
INSERT INTO "candle_days" ("symbol", "timeframe", "day", "source", "bars")
SELECT "symbol", "timeframe", ("ts" AT TIME ZONE 'UTC')::date, "source", count(*)::int FROM "candles" GROUP BY 1, 2, 3, 4;--> statement-breakpoint
-- A page of a series, newest first, read along the primary key whatever the statistics say: right
-- after a bulk load they can make a bitmap scan of the whole series plus a sort look cheaper.
CREATE FUNCTION "candles_page"("p_symbol" text, "p_timeframe" text, "p_from" timestamptz, "p_before" timestamptz, "p_limit" integer)
RETURNS SETOF "candles" LANGUAGE sql STABLE
SET enable_bitmapscan = off SET enable_seqscan = off SET enable_sort = off
AS $$
	SELECT * FROM "candles"
	WHERE "symbol" = "p_symbol" AND "timeframe" = "p_timeframe"
	  AND "ts" >= coalesce("p_from", '-infinity'::timestamptz) AND "ts" < coalesce("p_before", 'infinity'::timestamptz)
	ORDER BY "ts" DESC LIMIT "p_limit"
$$;--> statement-breakpoint
-- Autovacuum's defaults wait for 10% (analyse) and 20% (insert vacuum) of the table to change: 10 M
-- and 20 M rows at 100 M candles. Workers also analyse after bulk loads (fresh-statistics.ts);
-- these keep the visibility map, which index-only reads of timestamps rely on, from lagging far.
ALTER TABLE "candles" SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);
