CREATE TABLE "corporate_actions" (
	"symbol" text NOT NULL,
	"ex_date" date NOT NULL,
	"kind" text NOT NULL,
	"ratio" double precision,
	"amount" double precision,
	"source" text NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "corporate_actions_symbol_ex_date_kind_source_pk" PRIMARY KEY("symbol","ex_date","kind","source"),
	CONSTRAINT "corporate_actions_value_check" CHECK (coalesce(("corporate_actions"."kind" = 'split' and "corporate_actions"."ratio" > 0 and "corporate_actions"."amount" is null)
          or ("corporate_actions"."kind" = 'dividend' and "corporate_actions"."amount" >= 0 and "corporate_actions"."ratio" is null), false))
);
