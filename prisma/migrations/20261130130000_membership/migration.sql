-- Membership for "members join" programs: when a customer joined and left, the terms they consented to, and the
-- normalised email that keeps the signup bonus to one per person.
ALTER TABLE "Member" ADD COLUMN "joinedAt" TIMESTAMP(3),
ADD COLUMN "leftAt" TIMESTAMP(3),
ADD COLUMN "consentTermsVersion" TEXT,
ADD COLUMN "consentedAt" TIMESTAMP(3),
ADD COLUMN "consentChannel" TEXT,
ADD COLUMN "normalizedEmail" TEXT;
