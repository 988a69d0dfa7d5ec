-- One row per key that has uploaded a file: what concurrent uploads of one key lock, on whichever replica, so
-- that each checks the key's storage quota (gateway.files.quota-per-key) against the files the others kept first.
CREATE TABLE file_owner (
    owner_key   VARCHAR(512)    NOT NULL PRIMARY KEY
);
