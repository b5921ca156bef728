CREATE TABLE "scheduler_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ran_by" text NOT NULL
);
