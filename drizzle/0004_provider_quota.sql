CREATE TABLE "provider_quota" (
	"provider" text NOT NULL,
	"key_hash" text NOT NULL,
	"unit" text NOT NULL,
	"budget" integer NOT NULL,
	"window_ms" integer NOT NULL,
	"sent_at" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"sent_cost" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"paused_until" timestamp with time zone,
	"pause_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_quota_provider_key_hash_pk" PRIMARY KEY("provider","key_hash"),
	CONSTRAINT "provider_quota_budget_positive" CHECK ("provider_quota"."budget" > 0 and "provider_quota"."window_ms" > 0),
	CONSTRAINT "provider_quota_spends_paired" CHECK (cardinality("provider_quota"."sent_at") = cardinality("provider_quota"."sent_cost"))
);
