ALTER TABLE "documents" ADD COLUMN "mime_type" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "size_bytes" bigint;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "page_count" integer;