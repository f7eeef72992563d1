-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "userAgent" TEXT;
