-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "availabilityZone" TEXT NOT NULL DEFAULT 'nova';
