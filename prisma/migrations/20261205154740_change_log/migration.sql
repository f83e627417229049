-- CreateTable
CREATE TABLE "ChangeSet" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "actorTokenId" UUID,
    "actorProjectId" TEXT,
    "committedAt" TIMESTAMPTZ(3),
    "firstSequence" BIGINT,
    "lastSequence" BIGINT,

    CONSTRAINT "ChangeSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Change" (
    "id" BIGSERIAL NOT NULL,
    "sequence" BIGINT,
    "changeSetId" UUID NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "parentId" TEXT,
    "projectId" TEXT,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChangeSet_lastSequence_key" ON "ChangeSet"("lastSequence");

-- CreateIndex
CREATE INDEX "ChangeSet_committedAt_idx" ON "ChangeSet"("committedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Change_sequence_key" ON "Change"("sequence");

-- CreateIndex
CREATE INDEX "Change_changeSetId_idx" ON "Change"("changeSetId");

-- CreateIndex
CREATE INDEX "Change_objectId_idx" ON "Change"("objectId");

-- CreateIndex
CREATE INDEX "Change_parentId_idx" ON "Change"("parentId");

-- CreateIndex
CREATE INDEX "Change_projectId_sequence_idx" ON "Change"("projectId", "sequence");

-- AddForeignKey
ALTER TABLE "Change" ADD CONSTRAINT "Change_changeSetId_fkey" FOREIGN KEY ("changeSetId") REFERENCES "ChangeSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The log's order. Taken only at commit, under change_log_seal's lock (docs/live.md, "Sequence order is commit order").
CREATE SEQUENCE change_log_sequence AS BIGINT;

-- Every row a model table gains, changes or loses becomes one Change of the transaction's ChangeSet.
-- Arguments: object type, key columns (comma-separated), parent column, parent table,
-- and whose it is: 'own' (the row's projectId), 'parent' (the parent's), 'admin' (nobody's project).
CREATE FUNCTION change_log_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row JSONB := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row JSONB := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    row_now JSONB;
    before_fields JSONB;
    after_fields JSONB;
    object_id TEXT;
    parent_id TEXT;
    project_id TEXT;
    change_set UUID;
BEGIN
    row_now := coalesce(new_row, old_row);
    IF TG_OP = 'UPDATE' THEN
        -- Only the fields that changed; an update that changes nothing is no change.
        SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_row -> o.key)
          INTO before_fields, after_fields
          FROM jsonb_each(old_row) o
         WHERE o.value IS DISTINCT FROM new_row -> o.key;
        IF before_fields IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        before_fields := old_row;
        after_fields := new_row;
    END IF;
    SELECT string_agg(row_now ->> k, '/' ORDER BY ord) INTO object_id
      FROM unnest(string_to_array(TG_ARGV[1], ',')) WITH ORDINALITY AS u(k, ord);
    IF TG_ARGV[2] <> '' THEN
        parent_id := row_now ->> TG_ARGV[2];
    END IF;
    IF TG_ARGV[4] = 'own' THEN
        project_id := row_now ->> 'projectId';
    ELSIF TG_ARGV[4] = 'parent' THEN
        EXECUTE format('SELECT "projectId" FROM %I WHERE id = $1::uuid', TG_ARGV[3]) INTO project_id USING parent_id;
        IF project_id IS NULL THEN
            -- The parent is gone (deleted in this statement, its rows cascading): its last change names the project.
            SELECT c."projectId" INTO project_id FROM "Change" c WHERE c."objectId" = parent_id ORDER BY c.id DESC LIMIT 1;
        END IF;
    END IF;
    change_set := nullif(current_setting('neutron.change_set', true), '')::uuid;
    IF change_set IS NULL THEN
        -- The transaction's first change: its set, attributed as the service layer said (or to the system).
        change_set := gen_random_uuid();
        INSERT INTO "ChangeSet" (id, source, "actorTokenId", "actorProjectId")
        VALUES (
            change_set,
            coalesce(nullif(current_setting('neutron.change_source', true), ''), 'system'),
            nullif(current_setting('neutron.change_token', true), '')::uuid,
            nullif(current_setting('neutron.change_project', true), '')
        );
        PERFORM set_config('neutron.change_set', change_set::text, true);
    END IF;
    INSERT INTO "Change" ("changeSetId", "objectType", "objectId", "parentId", "projectId", action, before, after)
    VALUES (change_set, TG_ARGV[0], object_id, parent_id, project_id,
            CASE TG_OP WHEN 'INSERT' THEN 'CREATED' WHEN 'UPDATE' THEN 'UPDATED' ELSE 'DELETED' END,
            before_fields, after_fields);
    RETURN NULL;
END $$;

-- At commit (a deferred trigger): one transaction at a time takes its sequences, so that a reader that
-- has seen sequence N will never later see a smaller one appear. The lock is released only after the
-- commit is visible; the notification is delivered at commit, in commit order.
CREATE FUNCTION change_log_seal() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    change_count BIGINT;
    first_sequence BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('change_log_sequence'));
    SELECT count(*) INTO change_count FROM "Change" WHERE "changeSetId" = NEW.id;
    IF change_count = 0 THEN
        DELETE FROM "ChangeSet" WHERE id = NEW.id;
        RETURN NULL;
    END IF;
    first_sequence := nextval('change_log_sequence');
    IF change_count > 1 THEN
        PERFORM setval('change_log_sequence', first_sequence + change_count - 1);
    END IF;
    UPDATE "Change" c SET sequence = first_sequence + o.rank - 1
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM "Change" WHERE "changeSetId" = NEW.id) o
     WHERE c.id = o.id;
    UPDATE "ChangeSet"
       SET "committedAt" = clock_timestamp(), "firstSequence" = first_sequence, "lastSequence" = first_sequence + change_count - 1
     WHERE id = NEW.id;
    PERFORM pg_notify('change_log', (first_sequence + change_count - 1)::text);
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "ChangeSet_seal" AFTER INSERT ON "ChangeSet"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_log_seal();

DO $$
DECLARE
    t TEXT[];
BEGIN
    FOREACH t SLICE 1 IN ARRAY ARRAY[
        -- table, object type, key columns, parent column, parent table, whose
        ['Host', 'HOST', 'id', '', '', 'admin'],
        ['Network', 'NETWORK', 'id', '', '', 'own'],
        ['Subnet', 'SUBNET', 'id', '', '', 'own'],
        ['Port', 'PORT', 'id', '', '', 'own'],
        ['Instance', 'INSTANCE', 'id', '', '', 'own'],
        ['Router', 'ROUTER', 'id', '', '', 'own'],
        ['FloatingIp', 'FLOATING_IP', 'id', '', '', 'own'],
        ['SecurityGroup', 'SECURITY_GROUP', 'id', '', '', 'own'],
        ['SecurityGroupRule', 'SECURITY_GROUP_RULE', 'id', 'securityGroupId', 'SecurityGroup', 'parent'],
        ['PortSecurityGroup', 'PORT_SECURITY_GROUP', 'portId,securityGroupId', 'portId', 'Port', 'parent'],
        ['IpAllocation', 'IP_ALLOCATION', 'portId,subnetId,ipAddress', 'portId', 'Port', 'parent'],
        ['AllowedAddressPair', 'ALLOWED_ADDRESS_PAIR', 'portId,ipAddress', 'portId', 'Port', 'parent'],
        ['RouterRoute', 'ROUTER_ROUTE', 'routerId,destination,nexthop', 'routerId', 'Router', 'parent'],
        ['LocalVlan', 'LOCAL_VLAN', 'hostId,networkId', 'networkId', 'Network', 'admin'],
        ['SegmentAllocation', 'SEGMENT', 'networkId', 'networkId', 'Network', 'admin']
    ] LOOP
        -- 'ChangeLog' sorts before the foreign keys' 'RI_ConstraintTrigger' ones: a parent's change is
        -- written before the deletes that cascade from it look for its project.
        EXECUTE format('CREATE TRIGGER "ChangeLog" AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION change_log_record(%L, %L, %L, %L, %L)',
            t[1], t[2], t[3], t[4], t[5], t[6]);
    END LOOP;
END $$;
