-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" TIMESTAMP(3);

-- A revocation, whoever writes it (the API, the CLI, SQL), tells every server at its commit: each one
-- listening on api_token_revoked empties its token cache (src/auth/revocations.ts). The payload is the
-- token's id, never its hash.
CREATE FUNCTION api_token_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_token_revoked', NEW.id::text);
    RETURN NULL;
END $$;

CREATE TRIGGER "ApiToken_revoked" AFTER UPDATE OF "revokedAt" ON "ApiToken"
    FOR EACH ROW WHEN (OLD."revokedAt" IS NULL AND NEW."revokedAt" IS NOT NULL) EXECUTE FUNCTION api_token_revoked();
