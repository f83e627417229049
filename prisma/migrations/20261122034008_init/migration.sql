-- CreateEnum
CREATE TYPE "HostRole" AS ENUM ('COMPUTE', 'NETWORK');

-- CreateEnum
CREATE TYPE "NetworkType" AS ENUM ('VXLAN', 'GRE', 'GENEVE', 'VLAN', 'FLAT');

-- CreateEnum
CREATE TYPE "PortStatus" AS ENUM ('DOWN', 'BUILD', 'ACTIVE');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('INGRESS', 'EGRESS');

-- CreateEnum
CREATE TYPE "Ethertype" AS ENUM ('IPV4', 'IPV6');

-- CreateTable
CREATE TABLE "Host" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tunnelIp" TEXT NOT NULL,
    "roles" "HostRole"[],
    "up" BOOLEAN NOT NULL DEFAULT true,
    "bridgeMappings" JSONB NOT NULL DEFAULT '{"physnet1": "br-ex"}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Network" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "networkType" "NetworkType" NOT NULL,
    "segmentationId" INTEGER,
    "physicalNetwork" TEXT,
    "external" BOOLEAN NOT NULL DEFAULT false,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "mtu" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentAllocation" (
    "networkType" "NetworkType" NOT NULL,
    "physicalNetwork" TEXT NOT NULL DEFAULT '',
    "segmentationId" INTEGER NOT NULL,
    "networkId" UUID NOT NULL,

    CONSTRAINT "SegmentAllocation_pkey" PRIMARY KEY ("networkId")
);

-- CreateTable
CREATE TABLE "Subnet" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "networkId" UUID NOT NULL,
    "projectId" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "ipVersion" INTEGER NOT NULL,
    "gatewayIp" TEXT,
    "enableDhcp" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subnet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Port" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "networkId" UUID NOT NULL,
    "projectId" TEXT NOT NULL,
    "macAddress" TEXT NOT NULL,
    "deviceOwner" TEXT NOT NULL DEFAULT '',
    "deviceId" TEXT NOT NULL DEFAULT '',
    "status" "PortStatus" NOT NULL DEFAULT 'DOWN',
    "hostId" UUID,
    "portSecurityEnabled" BOOLEAN NOT NULL DEFAULT true,
    "instanceId" UUID,
    "routerId" UUID,
    "preserveOnDelete" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Port_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IpAllocation" (
    "portId" UUID NOT NULL,
    "subnetId" UUID NOT NULL,
    "ipAddress" TEXT NOT NULL,

    CONSTRAINT "IpAllocation_pkey" PRIMARY KEY ("portId","subnetId","ipAddress")
);

-- CreateTable
CREATE TABLE "AllowedAddressPair" (
    "portId" UUID NOT NULL,
    "ipAddress" TEXT NOT NULL,
    "macAddress" TEXT,

    CONSTRAINT "AllowedAddressPair_pkey" PRIMARY KEY ("portId","ipAddress")
);

-- CreateTable
CREATE TABLE "Instance" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "hostId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Router" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "hostId" UUID,
    "gatewayNetworkId" UUID,
    "enableSnat" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Router_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RouterRoute" (
    "routerId" UUID NOT NULL,
    "destination" TEXT NOT NULL,
    "nexthop" TEXT NOT NULL,

    CONSTRAINT "RouterRoute_pkey" PRIMARY KEY ("routerId","destination","nexthop")
);

-- CreateTable
CREATE TABLE "FloatingIp" (
    "id" UUID NOT NULL,
    "projectId" TEXT NOT NULL,
    "floatingIpAddress" TEXT NOT NULL,
    "floatingNetworkId" UUID NOT NULL,
    "floatingPortId" UUID NOT NULL,
    "portId" UUID,
    "fixedIpAddress" TEXT,
    "routerId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FloatingIp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityGroup" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityGroupRule" (
    "id" UUID NOT NULL,
    "securityGroupId" UUID NOT NULL,
    "direction" "Direction" NOT NULL,
    "ethertype" "Ethertype" NOT NULL DEFAULT 'IPV4',
    "protocol" TEXT,
    "portRangeMin" INTEGER,
    "portRangeMax" INTEGER,
    "remoteIpPrefix" TEXT,
    "remoteGroupId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityGroupRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortSecurityGroup" (
    "portId" UUID NOT NULL,
    "securityGroupId" UUID NOT NULL,

    CONSTRAINT "PortSecurityGroup_pkey" PRIMARY KEY ("portId","securityGroupId")
);

-- CreateTable
CREATE TABLE "LocalVlan" (
    "hostId" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "vlan" INTEGER NOT NULL,

    CONSTRAINT "LocalVlan_pkey" PRIMARY KEY ("hostId","networkId")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "hash" TEXT NOT NULL,
    "projectId" TEXT,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "Network_projectId_idx" ON "Network"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "SegmentAllocation_networkType_physicalNetwork_segmentationI_key" ON "SegmentAllocation"("networkType", "physicalNetwork", "segmentationId");

-- CreateIndex
CREATE INDEX "Subnet_networkId_idx" ON "Subnet"("networkId");

-- CreateIndex
CREATE INDEX "Port_hostId_networkId_idx" ON "Port"("hostId", "networkId");

-- CreateIndex
CREATE INDEX "Port_instanceId_idx" ON "Port"("instanceId");

-- CreateIndex
CREATE INDEX "Port_routerId_idx" ON "Port"("routerId");

-- CreateIndex
CREATE INDEX "Port_projectId_idx" ON "Port"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Port_networkId_macAddress_key" ON "Port"("networkId", "macAddress");

-- CreateIndex
CREATE INDEX "IpAllocation_ipAddress_idx" ON "IpAllocation"("ipAddress");

-- CreateIndex
CREATE UNIQUE INDEX "IpAllocation_subnetId_ipAddress_key" ON "IpAllocation"("subnetId", "ipAddress");

-- CreateIndex
CREATE INDEX "Instance_projectId_idx" ON "Instance"("projectId");

-- CreateIndex
CREATE INDEX "Instance_name_idx" ON "Instance"("name");

-- CreateIndex
CREATE INDEX "Router_projectId_idx" ON "Router"("projectId");

-- CreateIndex
CREATE INDEX "Router_hostId_idx" ON "Router"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "FloatingIp_floatingPortId_key" ON "FloatingIp"("floatingPortId");

-- CreateIndex
CREATE INDEX "FloatingIp_portId_idx" ON "FloatingIp"("portId");

-- CreateIndex
CREATE INDEX "FloatingIp_routerId_idx" ON "FloatingIp"("routerId");

-- CreateIndex
CREATE INDEX "FloatingIp_projectId_idx" ON "FloatingIp"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "FloatingIp_floatingNetworkId_floatingIpAddress_key" ON "FloatingIp"("floatingNetworkId", "floatingIpAddress");

-- CreateIndex
CREATE INDEX "SecurityGroup_projectId_name_idx" ON "SecurityGroup"("projectId", "name");

-- CreateIndex
CREATE INDEX "SecurityGroupRule_securityGroupId_idx" ON "SecurityGroupRule"("securityGroupId");

-- CreateIndex
CREATE INDEX "SecurityGroupRule_remoteGroupId_idx" ON "SecurityGroupRule"("remoteGroupId");

-- CreateIndex
CREATE INDEX "PortSecurityGroup_securityGroupId_idx" ON "PortSecurityGroup"("securityGroupId");

-- CreateIndex
CREATE INDEX "LocalVlan_networkId_idx" ON "LocalVlan"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "LocalVlan_hostId_vlan_key" ON "LocalVlan"("hostId", "vlan");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_hash_key" ON "ApiToken"("hash");

-- AddForeignKey
ALTER TABLE "SegmentAllocation" ADD CONSTRAINT "SegmentAllocation_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subnet" ADD CONSTRAINT "Subnet_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Port" ADD CONSTRAINT "Port_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Port" ADD CONSTRAINT "Port_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Port" ADD CONSTRAINT "Port_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Port" ADD CONSTRAINT "Port_routerId_fkey" FOREIGN KEY ("routerId") REFERENCES "Router"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpAllocation" ADD CONSTRAINT "IpAllocation_portId_fkey" FOREIGN KEY ("portId") REFERENCES "Port"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IpAllocation" ADD CONSTRAINT "IpAllocation_subnetId_fkey" FOREIGN KEY ("subnetId") REFERENCES "Subnet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllowedAddressPair" ADD CONSTRAINT "AllowedAddressPair_portId_fkey" FOREIGN KEY ("portId") REFERENCES "Port"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Router" ADD CONSTRAINT "Router_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Router" ADD CONSTRAINT "Router_gatewayNetworkId_fkey" FOREIGN KEY ("gatewayNetworkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RouterRoute" ADD CONSTRAINT "RouterRoute_routerId_fkey" FOREIGN KEY ("routerId") REFERENCES "Router"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FloatingIp" ADD CONSTRAINT "FloatingIp_floatingNetworkId_fkey" FOREIGN KEY ("floatingNetworkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FloatingIp" ADD CONSTRAINT "FloatingIp_floatingPortId_fkey" FOREIGN KEY ("floatingPortId") REFERENCES "Port"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FloatingIp" ADD CONSTRAINT "FloatingIp_portId_fkey" FOREIGN KEY ("portId") REFERENCES "Port"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FloatingIp" ADD CONSTRAINT "FloatingIp_routerId_fkey" FOREIGN KEY ("routerId") REFERENCES "Router"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityGroupRule" ADD CONSTRAINT "SecurityGroupRule_securityGroupId_fkey" FOREIGN KEY ("securityGroupId") REFERENCES "SecurityGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityGroupRule" ADD CONSTRAINT "SecurityGroupRule_remoteGroupId_fkey" FOREIGN KEY ("remoteGroupId") REFERENCES "SecurityGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortSecurityGroup" ADD CONSTRAINT "PortSecurityGroup_portId_fkey" FOREIGN KEY ("portId") REFERENCES "Port"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortSecurityGroup" ADD CONSTRAINT "PortSecurityGroup_securityGroupId_fkey" FOREIGN KEY ("securityGroupId") REFERENCES "SecurityGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalVlan" ADD CONSTRAINT "LocalVlan_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LocalVlan" ADD CONSTRAINT "LocalVlan_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;
