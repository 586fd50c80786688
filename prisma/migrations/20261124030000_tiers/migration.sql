-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "tierBelowSince" TIMESTAMP(3),
ADD COLUMN     "tierId" TEXT,
ADD COLUMN     "tierSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "placedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" BIGSERIAL NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromTier" TEXT,
    "toTier" TEXT,
    "reason" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TierChange_memberId_createdAt_idx" ON "TierChange"("memberId", "createdAt");

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

