-- AlterTable
ALTER TABLE "Port" ADD COLUMN     "adminStateUp" BOOLEAN NOT NULL DEFAULT true;
