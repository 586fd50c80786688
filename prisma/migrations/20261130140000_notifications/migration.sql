-- Notifications: the outbox of messages, merchants' templates and settings, and what the member chose.
ALTER TABLE "Member" ADD COLUMN "locale" TEXT;
ALTER TABLE "Member" ADD COLUMN "emailUnsubscribedAt" TIMESTAMP(3);
ALTER TABLE "Member" ADD COLUMN "metafieldsState" TEXT;

CREATE TYPE "MessageStatus" AS ENUM ('pending', 'sending', 'sent', 'skipped', 'failed');

CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "locale" TEXT,
    "status" "MessageStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "recipient" TEXT,
    "subject" TEXT,
    "providerId" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Message_shopId_channel_eventKey_key" ON "Message"("shopId", "channel", "eventKey");
CREATE INDEX "Message_channel_status_nextAttemptAt_idx" ON "Message"("channel", "status", "nextAttemptAt");
CREATE INDEX "Message_memberId_createdAt_idx" ON "Message"("memberId", "createdAt");
CREATE INDEX "Message_shopId_status_createdAt_idx" ON "Message"("shopId", "status", "createdAt");
ALTER TABLE "Message" ADD CONSTRAINT "Message_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Message" ADD CONSTRAINT "Message_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,
    CONSTRAINT "MessageTemplate_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "MessageTemplate_shopId_kind_locale_key" ON "MessageTemplate"("shopId", "kind", "locale");
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "NotificationSettings" (
    "shopId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "NotificationSettings_pkey" PRIMARY KEY ("shopId")
);
ALTER TABLE "NotificationSettings" ADD CONSTRAINT "NotificationSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
