DROP INDEX "documents_case_kind_issued_unique";--> statement-breakpoint
DROP INDEX "documents_hearing_kind_unique";--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "addressee" text;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_case_kind_addressee_issued_unique" ON "documents" USING btree ("case_id","kind","addressee") WHERE "documents"."hearing_id" is null and "documents"."verification_code" is not null and "documents"."addressee" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_hearing_kind_addressee_unique" ON "documents" USING btree ("hearing_id","kind","addressee") WHERE "documents"."hearing_id" is not null and "documents"."addressee" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_case_kind_issued_unique" ON "documents" USING btree ("case_id","kind") WHERE "documents"."hearing_id" is null and "documents"."verification_code" is not null and "documents"."addressee" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_hearing_kind_unique" ON "documents" USING btree ("hearing_id","kind") WHERE "documents"."hearing_id" is not null and "documents"."addressee" is null;