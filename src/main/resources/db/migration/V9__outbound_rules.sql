-- Issue 5: outbound URL checks (DLP). restrict_outbound_network_access is 0/1; allowed_fqdn_list is
-- the allowedFqdnList as given (a JSON array of strings, validated by AllowedFqdns), null when never set.
ALTER TABLE accounts ADD COLUMN restrict_outbound_network_access INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN allowed_fqdn_list TEXT;
