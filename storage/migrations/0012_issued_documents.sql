ALTER TABLE "documents" ADD COLUMN "verification_code" text;--> statement-breakpoint
CREATE INDEX "documents_sha256_idx" ON "documents" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_verification_code_unique" ON "documents" USING btree ("verification_code") WHERE "documents"."verification_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_case_kind_issued_unique" ON "documents" USING btree ("case_id","kind") WHERE "documents"."hearing_id" is null and "documents"."verification_code" is not null;