-- A campaign's cohort: the members eligible when it started, assigned together then.
ALTER TABLE "CampaignAssignment" ADD COLUMN     "cohort" BOOLEAN NOT NULL DEFAULT false;
