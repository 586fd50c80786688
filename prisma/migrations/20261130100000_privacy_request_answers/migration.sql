-- Data requests the merchant has answered, and the list of them newest first.
ALTER TABLE "PrivacyRequest" ADD COLUMN "answeredAt" TIMESTAMP(3);
ALTER TABLE "PrivacyRequest" ADD COLUMN "answeredBy" TEXT;
CREATE INDEX "PrivacyRequest_shopDomain_createdAt_idx" ON "PrivacyRequest"("shopDomain", "createdAt");
