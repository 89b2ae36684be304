CREATE TABLE "seal_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"seal_id" text NOT NULL,
	"mode" text NOT NULL,
	"position" jsonb NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_role" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"sha256_before" text NOT NULL,
	"sha256_after" text,
	"reason" text,
	CONSTRAINT "seal_applications_status_check" CHECK ("seal_applications"."status" in ('requested', 'applied', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "seal_applications" ADD CONSTRAINT "seal_applications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_applications" ADD CONSTRAINT "seal_applications_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_applications" ADD CONSTRAINT "seal_applications_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_applications" ADD CONSTRAINT "seal_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "seal_applications_document_idx" ON "seal_applications" USING btree ("document_id","requested_at");--> statement-breakpoint
CREATE INDEX "seal_applications_case_status_idx" ON "seal_applications" USING btree ("case_id","status");