/*
  Warnings:

  - You are about to drop the `login_attempts` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropTable
DROP TABLE "login_attempts";

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
