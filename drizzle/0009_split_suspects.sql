CREATE TABLE "split_suspects" (
	"symbol" text NOT NULL,
	"timeframe" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"prev_ts" timestamp with time zone NOT NULL,
	"prev_close" double precision NOT NULL,
	"close" double precision NOT NULL,
	CONSTRAINT "split_suspects_symbol_timeframe_ts_pk" PRIMARY KEY("symbol","timeframe","ts")
);
--> statement-breakpoint
-- The moves already stored, found once here by the scan the check used to make on every run.
INSERT INTO "split_suspects" ("symbol", "timeframe", "ts", "prev_ts", "prev_close", "close")
SELECT "symbol", "timeframe", "ts", "prev_ts", "prev_close", "close" FROM (
	SELECT c."symbol", c."timeframe", c."ts", c."close",
	       lag(c."close") OVER w AS "prev_close", lag(c."ts") OVER w AS "prev_ts"
	FROM "candles" c
	WHERE c."symbol" IN (SELECT "symbol" FROM "symbols" WHERE "asset_class" IN ('equity', 'etf'))
	WINDOW w AS (PARTITION BY c."symbol", c."timeframe" ORDER BY c."ts")
) m
WHERE m."prev_close" > 0 AND abs(m."close" / m."prev_close" - 1) > 0.35;
