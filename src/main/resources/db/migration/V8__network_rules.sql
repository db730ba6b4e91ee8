-- Issue 5: per-account network rules. network_acls is NetworkAcls.toJson() (null: none set, which
-- is everything allowed); public_network_access is 'Enabled' or 'Disabled'.
ALTER TABLE accounts ADD COLUMN network_acls TEXT;
ALTER TABLE accounts ADD COLUMN public_network_access TEXT NOT NULL DEFAULT 'Enabled';
