-- The balance import becomes a migration from another loyalty app (issue 12, part 6).

-- A dry run now stages its rows in batches while the upload streams in: until the last batch is in, the job is
-- "checking" (a crash leaves it so, and resumeImports removes it: the merchant uploads the file again).
ALTER TYPE "ImportStatus" ADD VALUE IF NOT EXISTS 'checking' BEFORE 'checked';

-- Which column held what (the recognised or merchant-mapped header), kept with the job for the record.
ALTER TABLE "ImportJob" ADD COLUMN "mapping" JSONB;

-- Per row: the dated parts of the balance (each becomes a lot expiring at the end of its shop-local date), the
-- program tier the row sets, and the informational history lines for the passbook.
ALTER TABLE "ImportRow" ADD COLUMN "lots" JSONB;
ALTER TABLE "ImportRow" ADD COLUMN "tierId" TEXT;
ALTER TABLE "ImportRow" ADD COLUMN "history" JSONB;

-- Rows naming a customer by email are matched case-insensitively against every synced member; without this
-- index each batch of a million-row file would scan the members table.
CREATE INDEX IF NOT EXISTS "Member_shopId_lower_email_idx" ON "Member" ("shopId", lower("email"));
