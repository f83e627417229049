-- CreateIndex
CREATE INDEX "FloatingIp_floatingIpAddress_idx" ON "FloatingIp"("floatingIpAddress");

-- CreateIndex
CREATE INDEX "Port_networkId_deviceOwner_idx" ON "Port"("networkId", "deviceOwner");
