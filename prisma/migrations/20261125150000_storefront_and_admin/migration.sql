-- CreateEnum
CREATE TYPE "RewardCodeStatus" AS ENUM ('creating', 'active', 'used', 'expired', 'failed');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('checked', 'applying', 'applied');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "blockedAt" TIMESTAMP(3),
ADD COLUMN     "blockedReason" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "name" TEXT;

-- CreateTable
CREATE TABLE "RewardCode" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardName" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "minimumSubtotalMinor" INTEGER NOT NULL DEFAULT 0,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "status" "RewardCodeStatus" NOT NULL DEFAULT 'creating',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "RewardCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'checked',
    "totalRows" INTEGER NOT NULL,
    "validRows" INTEGER NOT NULL,
    "rejectedRows" INTEGER NOT NULL,
    "appliedRows" INTEGER NOT NULL DEFAULT 0,
    "points" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRow" (
    "id" BIGSERIAL NOT NULL,
    "jobId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "customer" TEXT NOT NULL,
    "memberId" TEXT,
    "points" INTEGER NOT NULL,
    "note" TEXT,
    "rejected" TEXT,
    "applied" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ImportRow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RewardCode_status_expiresAt_idx" ON "RewardCode"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "RewardCode_memberId_requestKey_key" ON "RewardCode"("memberId", "requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "RewardCode_shopId_code_key" ON "RewardCode"("shopId", "code");

-- CreateIndex
CREATE INDEX "ImportJob_shopId_createdAt_idx" ON "ImportJob"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportRow_jobId_line_idx" ON "ImportRow"("jobId", "line");

-- CreateIndex
CREATE INDEX "Member_shopId_email_idx" ON "Member"("shopId", "email");

-- AddForeignKey
ALTER TABLE "RewardCode" ADD CONSTRAINT "RewardCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardCode" ADD CONSTRAINT "RewardCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRow" ADD CONSTRAINT "ImportRow_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ImportJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

