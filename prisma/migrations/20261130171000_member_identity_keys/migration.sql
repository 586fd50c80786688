-- Keyed hashes of a member's normalised phone and default shipping address (app/fraud/identity-keys.server.ts),
-- never the values. The [shopId, createdAt] index the signup-farming rule reads by already exists
-- (20261125160000_member_search); the schema now declares it.

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "addressKey" TEXT,
ADD COLUMN     "phoneKey" TEXT;
