-- Columns that keep what a client or an identity provider sent are wide enough to keep it as sent: a signed-in
-- person's id (oidc:<subject>, the subject up to 256 characters) and team claim (up to 256), wherever a key's id or
-- a team is kept; a batch's metadata of 16 pairs of 64 + 512 characters even once JSON writes each control
-- character as \u0000 (6 characters).
ALTER TABLE usage_minute ALTER COLUMN api_key SET DATA TYPE VARCHAR(300);
ALTER TABLE usage_minute ALTER COLUMN team SET DATA TYPE VARCHAR(300);
ALTER TABLE budget_spend ALTER COLUMN api_key SET DATA TYPE VARCHAR(300);
ALTER TABLE budget_holds ALTER COLUMN api_key SET DATA TYPE VARCHAR(300);
ALTER TABLE batch_file ALTER COLUMN owner_key SET DATA TYPE VARCHAR(300);
ALTER TABLE batch ALTER COLUMN owner_key SET DATA TYPE VARCHAR(300);
ALTER TABLE batch ALTER COLUMN metadata SET DATA TYPE VARCHAR(60000);
ALTER TABLE audit_event ALTER COLUMN actor SET DATA TYPE VARCHAR(300);
ALTER TABLE audit_event ALTER COLUMN actor_team SET DATA TYPE VARCHAR(300);

-- A stored key's models are a JSON array of names, no longer joined with commas (which split a name holding one,
-- and read an empty list back as one empty name).
UPDATE api_keys SET models = CASE WHEN models = '' THEN '[]' ELSE '["' || REPLACE(models, ',', '","') || '"]' END
    WHERE models IS NOT NULL;
