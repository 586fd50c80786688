-- Sync: members from every Shopify customer and the catalogue through bulk operations (app/sync/).

-- What Shopify says of the customer behind a member; personal data, erased with the rest on redaction.
ALTER TABLE "Member" ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Member" ADD COLUMN "emailMarketingState" TEXT;
ALTER TABLE "Member" ADD COLUMN "verifiedEmail" BOOLEAN;
ALTER TABLE "Member" ADD COLUMN "customerState" TEXT;
-- The customer's updatedAt in Shopify that the profile above reflects: older data never overwrites newer.
ALTER TABLE "Member" ADD COLUMN "shopifyUpdatedAt" TIMESTAMP(3);

-- One bulk query the app asked Shopify for: what for, how it ended on Shopify's side and how far its result was applied.
CREATE TABLE "BulkOperation" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "operationId" TEXT,
    "kind" TEXT NOT NULL,
    "meta" JSONB,
    "query" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "errorCode" TEXT,
    "objectCount" INTEGER,
    "url" TEXT,
    "requestedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "errorDetail" JSONB,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "processedAt" TIMESTAMP(3),
    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "BulkOperation_operationId_key" ON "BulkOperation"("operationId");
CREATE INDEX "BulkOperation_shopId_kind_createdAt_idx" ON "BulkOperation"("shopId", "kind", "createdAt");
CREATE INDEX "BulkOperation_status_processedAt_idx" ON "BulkOperation"("status", "processedAt");
ALTER TABLE "BulkOperation" ADD CONSTRAINT "BulkOperation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
