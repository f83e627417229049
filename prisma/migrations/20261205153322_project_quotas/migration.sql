-- CreateTable
CREATE TABLE "ProjectQuota" (
    "projectId" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,

    CONSTRAINT "ProjectQuota_pkey" PRIMARY KEY ("projectId","resource")
);
