-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "birthday" TEXT;

