-- AlterTable
ALTER TABLE "Subnet" ADD COLUMN     "allocationPools" JSONB,
ADD COLUMN     "dnsNameservers" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "hostRoutes" JSONB NOT NULL DEFAULT '[]';
