-- Every API token expires. Tokens created without an expiry get one a year from now (the maximum
-- a new token may have), so existing collectors keep working while their owners rotate them.
UPDATE "api_token" SET "expires_at" = now() + interval '365 days' WHERE "expires_at" IS NULL;

-- AlterTable
ALTER TABLE "api_token" ALTER COLUMN "expires_at" SET NOT NULL;
