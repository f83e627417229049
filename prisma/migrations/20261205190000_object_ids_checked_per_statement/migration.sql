-- The key is checked at the end of each statement, no longer at commit. Checked at commit, two
-- transactions claiming one id both got through to COMMIT, where each waited for the other to end:
-- a deadlock, under the change log's commit lock (change_log_seal) that every other commit waits
-- for too, and a retried loser, seeing no committed holder yet, claimed the id again. Checked per
-- statement, the second claim waits for the first transaction before its own commit and fails once
-- that one commits. Still deferrable: an import that hands an id from one kind to another defers it
-- over its writes (src/services/import/write.ts).
ALTER TABLE "ObjectId"
    DROP CONSTRAINT "ObjectId_pkey",
    ADD CONSTRAINT "ObjectId_pkey" PRIMARY KEY ("id") DEFERRABLE INITIALLY IMMEDIATE;
