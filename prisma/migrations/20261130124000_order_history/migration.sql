-- Orders from before the install, read from Shopify on the merchant's request so tiers and reports count them; they
-- earn nothing unless the merchant chooses to award them.
ALTER TYPE "OrderStatus" ADD VALUE 'history';

CREATE TABLE "OrderHistoryImport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "months" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'reading',
    "bulkOperationId" TEXT,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "memberOrders" INTEGER NOT NULL DEFAULT 0,
    "members" INTEGER NOT NULL DEFAULT 0,
    "points" INTEGER NOT NULL DEFAULT 0,
    "liabilityMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL,
    "awardedOrders" INTEGER NOT NULL DEFAULT 0,
    "awardedPoints" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requestedBy" TEXT NOT NULL,
    "awardedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "previewedAt" TIMESTAMP(3),
    "awardedAt" TIMESTAMP(3),
    CONSTRAINT "OrderHistoryImport_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OrderHistoryImport_shopId_createdAt_idx" ON "OrderHistoryImport"("shopId", "createdAt");
ALTER TABLE "OrderHistoryImport" ADD CONSTRAINT "OrderHistoryImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The bulk result's lines, staged so an order can be put together with its line items wherever they come in the
-- file, in constant memory; dropped once the history is awarded or superseded.
CREATE TABLE "OrderHistoryLine" (
    "id" BIGSERIAL NOT NULL,
    "importId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "parentGid" TEXT,
    "record" JSONB NOT NULL,
    CONSTRAINT "OrderHistoryLine_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OrderHistoryLine_importId_parentGid_idx" ON "OrderHistoryLine"("importId", "parentGid");
ALTER TABLE "OrderHistoryLine" ADD CONSTRAINT "OrderHistoryLine_importId_fkey" FOREIGN KEY ("importId") REFERENCES "OrderHistoryImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
