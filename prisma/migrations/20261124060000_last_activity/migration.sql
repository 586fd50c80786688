-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "lastActivityAt" TIMESTAMP(3);

