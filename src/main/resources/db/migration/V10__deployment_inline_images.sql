-- Issue 5: a deployment may have Bulwark fetch chat image URLs itself and send the model server
-- data: URLs (properties.inlineRemoteImages). 0/1; existing deployments keep passing URLs through.
ALTER TABLE deployments ADD COLUMN inline_remote_images INTEGER NOT NULL DEFAULT 0;
