-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('active', 'settled', 'released', 'expired');

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "pointsDiscountId" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "pointsReserved" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "reservedPoints" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "pointsRedeemed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pointsReturned" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "redeemMemberId" TEXT,
ADD COLUMN     "redemptionFlag" TEXT;

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "orderId" TEXT,

    CONSTRAINT "Reservation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_nonce_key" ON "Reservation"("nonce");

-- CreateIndex
CREATE INDEX "Reservation_memberId_status_idx" ON "Reservation"("memberId", "status");

-- CreateIndex
CREATE INDEX "Reservation_status_expiresAt_idx" ON "Reservation"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one active reservation per member (Prisma cannot declare partial indexes).
CREATE UNIQUE INDEX "Reservation_one_active_per_member" ON "Reservation"("memberId") WHERE status = 'active';
