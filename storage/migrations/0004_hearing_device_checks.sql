CREATE TABLE "hearing_device_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hearing_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"camera_ok" boolean NOT NULL,
	"camera_width" integer,
	"camera_height" integer,
	"microphone_ok" boolean NOT NULL,
	"microphone_peak" double precision,
	"speaker_confirmed" boolean NOT NULL,
	"browser" jsonb NOT NULL,
	"round_trip_p50_ms" double precision,
	"round_trip_p95_ms" double precision,
	"download_mbps" double precision,
	"upload_mbps" double precision,
	"verdict" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hearing_device_checks_verdict_check" CHECK ("hearing_device_checks"."verdict" in ('pass', 'warn', 'fail'))
);
--> statement-breakpoint
ALTER TABLE "hearing_device_checks" ADD CONSTRAINT "hearing_device_checks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hearing_device_checks_hearing_idx" ON "hearing_device_checks" USING btree ("hearing_id","user_id","created_at");