-- CreateEnum
CREATE TYPE "FirewallDriver" AS ENUM ('IPTABLES_HYBRID', 'OPENVSWITCH');

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "firewallDriver" "FirewallDriver" NOT NULL DEFAULT 'IPTABLES_HYBRID';
