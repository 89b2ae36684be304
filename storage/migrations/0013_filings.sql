CREATE TABLE "filing_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"court_id" uuid,
	"cause" text,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "filing_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"draft_id" uuid,
	"filing_id" uuid,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"page_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "filing_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid,
	"version" integer NOT NULL,
	"rule_set" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "filing_rule_sets_court_version_unique" UNIQUE NULLS NOT DISTINCT("court_id","version")
);
--> statement-breakpoint
CREATE TABLE "filings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"filed_by" uuid NOT NULL,
	"filed_by_role" text NOT NULL,
	"agent_user_id" uuid,
	"draft_id" uuid,
	"status" text NOT NULL,
	"state" text NOT NULL,
	"cause" text NOT NULL,
	"procedure" text,
	"claim_amount" numeric(16, 2),
	"fingerprint" text NOT NULL,
	"filing" jsonb NOT NULL,
	"decision" jsonb,
	"fee" numeric(16, 2),
	"correction" jsonb,
	"reasons" jsonb,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"case_id" uuid,
	"case_number" text,
	"receipt_document_id" uuid,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "filings_status_check" CHECK ("filings"."status" in ('submitted', 'needsClerk', 'returned', 'rejected', 'accepted'))
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"title_en" text NOT NULL,
	"body" jsonb NOT NULL,
	"link" text,
	"document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "filing_drafts" ADD CONSTRAINT "filing_drafts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_materials" ADD CONSTRAINT "filing_materials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_rule_sets" ADD CONSTRAINT "filing_rule_sets_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_rule_sets" ADD CONSTRAINT "filing_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "filing_drafts_user_idx" ON "filing_drafts" USING btree ("user_id","updated_at");--> statement-breakpoint
CREATE INDEX "filing_materials_user_idx" ON "filing_materials" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "filing_materials_draft_idx" ON "filing_materials" USING btree ("draft_id");--> statement-breakpoint
CREATE INDEX "filing_materials_filing_idx" ON "filing_materials" USING btree ("filing_id");--> statement-breakpoint
CREATE INDEX "filings_court_status_idx" ON "filings" USING btree ("court_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "filings_filed_by_idx" ON "filings" USING btree ("filed_by","submitted_at");--> statement-breakpoint
CREATE INDEX "filings_agent_idx" ON "filings" USING btree ("agent_user_id");--> statement-breakpoint
CREATE INDEX "filings_fingerprint_idx" ON "filings" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "inbox_messages_user_idx" ON "inbox_messages" USING btree ("user_id","created_at");