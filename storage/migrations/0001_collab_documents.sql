CREATE TABLE "collab_snapshots" (
	"doc_name" text PRIMARY KEY NOT NULL,
	"state" "bytea" NOT NULL,
	"through_seq" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collab_updates" (
	"doc_name" text NOT NULL,
	"seq" bigint NOT NULL,
	"update" "bytea",
	"origin_source" text NOT NULL,
	"user_id" uuid,
	"session_id" text,
	"engine" text,
	"reason" text,
	"segment_ids" text[],
	"hearing_id" uuid,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "collab_updates_pk" PRIMARY KEY("doc_name","seq")
);
--> statement-breakpoint
CREATE TABLE "collab_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"doc_name" text NOT NULL,
	"label" text NOT NULL,
	"state" "bytea" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "collab_updates_hearing_idx" ON "collab_updates" USING btree ("hearing_id","seq") WHERE "collab_updates"."hearing_id" is not null;--> statement-breakpoint
CREATE INDEX "collab_updates_segments_idx" ON "collab_updates" USING gin ("segment_ids");--> statement-breakpoint
CREATE INDEX "collab_updates_user_idx" ON "collab_updates" USING btree ("user_id","at") WHERE "collab_updates"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "collab_versions_doc_idx" ON "collab_versions" USING btree ("doc_name","created_at");