-- CreateEnum
CREATE TYPE "CampaignGroup" AS ENUM ('treatment', 'control');

-- CreateTable
CREATE TABLE "InsightFit" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "params" JSONB,
    "logLikelihood" DOUBLE PRECISION,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "repeatCustomers" INTEGER NOT NULL DEFAULT 0,
    "asOf" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "fittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightFit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberInsight" (
    "memberId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recencyWeeks" DOUBLE PRECISION NOT NULL,
    "ageWeeks" DOUBLE PRECISION NOT NULL,
    "monetaryMinor" INTEGER NOT NULL,
    "pAlive" DOUBLE PRECISION NOT NULL,
    "expectedOrders90" DOUBLE PRECISION NOT NULL,
    "expectedValueMinor" INTEGER NOT NULL,
    "repurchaseDays" DOUBLE PRECISION,
    "rfmSegment" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberInsight_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "CampaignAssignment" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "group" "CampaignGroup" NOT NULL,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightReport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "figures" JSONB NOT NULL,
    "templateText" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "rejectedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InsightFit_shopId_key" ON "InsightFit"("shopId");

-- CreateIndex
CREATE INDEX "MemberInsight_shopId_pAlive_idx" ON "MemberInsight"("shopId", "pAlive");

-- CreateIndex
CREATE INDEX "MemberInsight_shopId_expectedValueMinor_idx" ON "MemberInsight"("shopId", "expectedValueMinor");

-- CreateIndex
CREATE INDEX "MemberInsight_shopId_rfmSegment_idx" ON "MemberInsight"("shopId", "rfmSegment");

-- CreateIndex
CREATE INDEX "CampaignAssignment_shopId_campaignId_group_idx" ON "CampaignAssignment"("shopId", "campaignId", "group");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignAssignment_shopId_campaignId_memberId_key" ON "CampaignAssignment"("shopId", "campaignId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "InsightReport_shopId_period_locale_key" ON "InsightReport"("shopId", "period", "locale");

-- AddForeignKey
ALTER TABLE "InsightFit" ADD CONSTRAINT "InsightFit_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberInsight" ADD CONSTRAINT "MemberInsight_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberInsight" ADD CONSTRAINT "MemberInsight_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignAssignment" ADD CONSTRAINT "CampaignAssignment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignAssignment" ADD CONSTRAINT "CampaignAssignment_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightReport" ADD CONSTRAINT "InsightReport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

