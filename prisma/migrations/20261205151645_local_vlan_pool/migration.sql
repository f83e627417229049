-- CreateTable
CREATE TABLE "LocalVlanPool" (
    "hostId" UUID NOT NULL,
    "finger" INTEGER NOT NULL,
    "mask" INTEGER NOT NULL,
    "fill" INTEGER NOT NULL,
    "used" INTEGER NOT NULL,
    "changed" INTEGER[],

    CONSTRAINT "LocalVlanPool_pkey" PRIMARY KEY ("hostId")
);

-- AddForeignKey
ALTER TABLE "LocalVlanPool" ADD CONSTRAINT "LocalVlanPool_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
