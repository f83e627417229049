-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "arpResponder" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "enableIsolatedMetadata" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "l2Population" BOOLEAN NOT NULL DEFAULT false;
