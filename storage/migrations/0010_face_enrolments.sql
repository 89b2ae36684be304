CREATE TABLE "face_enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"descriptor_sealed" text NOT NULL,
	"image_sha256" text NOT NULL,
	"image_blob_key" text,
	"image_delete_after" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "face_enrolments_source_check" CHECK ("face_enrolments"."source" in ('idCardPhoto', 'selfie'))
);
--> statement-breakpoint
ALTER TABLE "face_enrolments" ADD CONSTRAINT "face_enrolments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "face_enrolments_user_idx" ON "face_enrolments" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "face_enrolments_image_purge_idx" ON "face_enrolments" USING btree ("image_delete_after");