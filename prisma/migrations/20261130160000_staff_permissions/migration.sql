-- Staff permissions: the staff seen, the shop's rules for them, and adjustments waiting for a second staff member.
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "grants" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "checkedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "StaffMember_shopId_userId_key" ON "StaffMember"("shopId", "userId");
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "StaffPolicy" (
    "shopId" TEXT NOT NULL,
    "defaultGrants" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "adjustLimit" INTEGER,
    "savedBy" TEXT NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StaffPolicy_pkey" PRIMARY KEY ("shopId")
);
ALTER TABLE "StaffPolicy" ADD CONSTRAINT "StaffPolicy_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'declined');

CREATE TABLE "AdjustmentApproval" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'pending',
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AdjustmentApproval_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AdjustmentApproval_shopId_key_key" ON "AdjustmentApproval"("shopId", "key");
CREATE INDEX "AdjustmentApproval_shopId_status_createdAt_idx" ON "AdjustmentApproval"("shopId", "status", "createdAt");
ALTER TABLE "AdjustmentApproval" ADD CONSTRAINT "AdjustmentApproval_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
