-- Fraud detection: each shop's cached baseline (recomputed at most daily) and the merchant's detection settings.
CREATE TABLE "FraudBaseline" (
    "shopId" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "baseline" JSONB NOT NULL,
    "scannedAt" TIMESTAMP(3),
    CONSTRAINT "FraudBaseline_pkey" PRIMARY KEY ("shopId")
);
ALTER TABLE "FraudBaseline" ADD CONSTRAINT "FraudBaseline_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "FraudSettings" (
    "shopId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "FraudSettings_pkey" PRIMARY KEY ("shopId")
);
ALTER TABLE "FraudSettings" ADD CONSTRAINT "FraudSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A member's order history, read by fraud detection on every earn.
CREATE INDEX "Order_shopId_memberId_placedAt_idx" ON "Order"("shopId", "memberId", "placedAt");
