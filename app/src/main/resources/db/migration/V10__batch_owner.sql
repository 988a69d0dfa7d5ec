-- The team of the person (single sign-on) who created a batch, as their token gave it: the batch runs as them
-- later, without their token. Unbounded: a claim is stored as the identity provider gives it.
ALTER TABLE batch ADD COLUMN owner_team VARCHAR;
