ALTER TABLE "documents" ADD COLUMN "hearing_id" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "details" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_hearing_kind_unique" ON "documents" USING btree ("hearing_id","kind") WHERE "documents"."hearing_id" is not null;