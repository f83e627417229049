-- CreateTable
CREATE TABLE "ObjectId" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,

    -- Checked at commit: one transaction may delete an object and create one of another kind with its id.
    CONSTRAINT "ObjectId_pkey" PRIMARY KEY ("id") DEFERRABLE INITIALLY DEFERRED
);

-- The ids held today; where two kinds already share one, the first kind listed keeps it.
INSERT INTO "ObjectId" (id, kind)
SELECT DISTINCT ON (id) id, kind FROM (
    SELECT id, 'Host' AS kind, 1 AS rank FROM "Host"
    UNION ALL SELECT id, 'Network', 2 FROM "Network"
    UNION ALL SELECT id, 'Subnet', 3 FROM "Subnet"
    UNION ALL SELECT id, 'Port', 4 FROM "Port"
    UNION ALL SELECT id, 'Instance', 5 FROM "Instance"
    UNION ALL SELECT id, 'Router', 6 FROM "Router"
    UNION ALL SELECT id, 'FloatingIp', 7 FROM "FloatingIp"
    UNION ALL SELECT id, 'SecurityGroup', 8 FROM "SecurityGroup"
    UNION ALL SELECT id, 'SecurityGroupRule', 9 FROM "SecurityGroupRule"
) held
ORDER BY id, rank;

-- Every insert into an object table claims its ids, every delete gives back those its kind holds:
-- per statement, so that an import's bulk statements cost one more statement each, not one per row.
CREATE FUNCTION object_ids_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "ObjectId" (id, kind) SELECT id, TG_TABLE_NAME FROM inserted;
    RETURN NULL;
END $$;

CREATE FUNCTION object_ids_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "ObjectId" o USING deleted d WHERE o.id = d.id AND o.kind = TG_TABLE_NAME;
    RETURN NULL;
END $$;

DO $$
DECLARE
    kind TEXT;
BEGIN
    FOREACH kind IN ARRAY ARRAY['Host', 'Network', 'Subnet', 'Port', 'Instance', 'Router', 'FloatingIp', 'SecurityGroup', 'SecurityGroupRule'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION object_ids_claim()', kind || '_claim_ids', kind);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION object_ids_release()', kind || '_release_ids', kind);
    END LOOP;
END $$;
