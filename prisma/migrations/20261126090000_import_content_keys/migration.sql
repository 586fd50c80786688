-- Balance imports are credited once per member and content, not once per file: each checked row records the
-- ledger idempotency key its credit carries (see importCreditKey in app/services/imports.server.ts).
ALTER TABLE "ImportRow" ADD COLUMN "creditKey" TEXT;

-- A member's row in an earlier import, found from that import's ledger entry (the dry run names earlier imports).
CREATE INDEX "ImportRow_jobId_memberId_idx" ON "ImportRow"("jobId", "memberId");
