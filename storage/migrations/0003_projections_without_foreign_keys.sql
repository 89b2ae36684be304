ALTER TABLE "case_parties" DROP CONSTRAINT "case_parties_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "case_parties" DROP CONSTRAINT "case_parties_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "cases" DROP CONSTRAINT "cases_court_id_courts_id_fk";
--> statement-breakpoint
ALTER TABLE "cases" DROP CONSTRAINT "cases_filed_by_users_id_fk";
--> statement-breakpoint
ALTER TABLE "hearings" DROP CONSTRAINT "hearings_case_id_cases_id_fk";
