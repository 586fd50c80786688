-- Review cases: suspected abuse, the points they hold (lots marked heldByCaseId) and the staff decision.
ALTER TABLE "Lot" ADD COLUMN "heldByCaseId" TEXT;
CREATE INDEX "Lot_heldByCaseId_idx" ON "Lot"("heldByCaseId") WHERE "heldByCaseId" IS NOT NULL;

CREATE TYPE "ReviewStatus" AS ENUM ('open', 'approved', 'rejected');

CREATE TABLE "ReviewCase" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "caseKey" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "orderId" TEXT,
    "points" INTEGER NOT NULL DEFAULT 0,
    "status" "ReviewStatus" NOT NULL DEFAULT 'open',
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewCase_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ReviewCase_shopId_caseKey_key" ON "ReviewCase"("shopId", "caseKey");
CREATE INDEX "ReviewCase_shopId_status_createdAt_idx" ON "ReviewCase"("shopId", "status", "createdAt");
CREATE INDEX "ReviewCase_memberId_idx" ON "ReviewCase"("memberId");
ALTER TABLE "ReviewCase" ADD CONSTRAINT "ReviewCase_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ReviewCase" ADD CONSTRAINT "ReviewCase_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
