CREATE TABLE "hearing_live" (
	"hearing_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid,
	"court_id" uuid,
	"state" text NOT NULL,
	"last_seq" integer NOT NULL,
	"summary" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hearing_participants" (
	"hearing_id" uuid NOT NULL,
	"participant_id" text NOT NULL,
	"account_id" uuid NOT NULL,
	"role" text NOT NULL,
	"display_name" text NOT NULL,
	"court_id" uuid NOT NULL,
	CONSTRAINT "hearing_participants_hearing_id_participant_id_pk" PRIMARY KEY("hearing_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "hearing_recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hearing_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"participant_id" text NOT NULL,
	"kind" text NOT NULL,
	"blob_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content_type" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hearing_live_case_idx" ON "hearing_live" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "hearing_participants_account_idx" ON "hearing_participants" USING btree ("account_id","hearing_id");--> statement-breakpoint
CREATE INDEX "hearing_recordings_hearing_idx" ON "hearing_recordings" USING btree ("hearing_id","recorded_at");