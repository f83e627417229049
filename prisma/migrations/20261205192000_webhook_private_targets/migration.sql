-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN "privateTargets" BOOLEAN NOT NULL DEFAULT false;

-- A webhook of every project was made by an admin token (a project token's always names its project):
-- those keep reaching what they reached, as WEBHOOK_PRIVATE_TARGETS=admin allows. Every other existing
-- webhook delivers to public addresses only from now on.
UPDATE "Webhook" SET "privateTargets" = true WHERE "projectId" IS NULL;
