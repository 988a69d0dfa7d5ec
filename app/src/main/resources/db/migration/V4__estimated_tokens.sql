-- The part of billed_tokens the gateway estimated because the provider's answer counted none (Gemini, Cohere on
-- Bedrock): the ledger says which figures are the provider's own.
ALTER TABLE usage_minute ADD COLUMN estimated_tokens BIGINT NOT NULL DEFAULT 0;
