-- Webhook deliveries that failed (bad payload, shop not installed, an error while applying), recorded outside the
-- transaction that rolled back, so the webhook health page can say what failed and why. Pruned by the scheduled jobs.
CREATE TABLE "WebhookFailure" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookFailure_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WebhookFailure_shopDomain_receivedAt_idx" ON "WebhookFailure"("shopDomain", "receivedAt");
CREATE INDEX "WebhookFailure_receivedAt_idx" ON "WebhookFailure"("receivedAt");
