-- Reconciliation: the watermark up to which Shopify's orders have been checked against what the app applied,
-- each run of the check, and every payment, refund or cancellation it (or an order-history import) recovered.
ALTER TABLE "Shop" ADD COLUMN "reconciledThrough" TIMESTAMP(3);

CREATE TABLE "ReconciliationRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "ordersChecked" INTEGER NOT NULL DEFAULT 0,
    "eventsRecovered" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requestedBy" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ReconciliationRun_shopId_startedAt_idx" ON "ReconciliationRun"("shopId", "startedAt");
ALTER TABLE "ReconciliationRun" ADD CONSTRAINT "ReconciliationRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "RecoveredEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "runId" TEXT,
    "orderId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "recoveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecoveredEvent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RecoveredEvent_shopId_eventKey_key" ON "RecoveredEvent"("shopId", "eventKey");
CREATE INDEX "RecoveredEvent_shopId_recoveredAt_idx" ON "RecoveredEvent"("shopId", "recoveredAt");
ALTER TABLE "RecoveredEvent" ADD CONSTRAINT "RecoveredEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
