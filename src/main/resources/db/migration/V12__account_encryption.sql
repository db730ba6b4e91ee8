-- Issue 6: customer-managed keys. encryption is the account's properties.encryption as JSON when it
-- names a customer-managed key, null for service-managed keys only.
ALTER TABLE accounts ADD COLUMN encryption TEXT;
