package dev.bulwark.vault;

import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ServiceKeyProvider;
import dev.bulwark.store.Database;
import dev.bulwark.testing.MutableClock;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import dev.bulwark.config.SecretValue;

/** A vault over a real SQLite file and the real envelope cipher, with a clock the test moves. */
final class VaultFixture implements AutoCloseable {
    final Path dbFile;
    final Database db;
    final MutableClock clock = MutableClock.atNow();
    final ObjectCipher cipher;
    final VaultItems items;
    final VaultSecrets secrets;
    final VaultKeys keys;

    VaultFixture(Path dir, VaultPolicy policy) {
        this.dbFile = dir.resolve("vault.db");
        this.db = Database.openSqlite(dbFile);
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        MasterKey master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "test"));
        this.cipher = EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1)),
                DataKeyCache.withDefaults());
        this.items = new VaultItems(db, clock, policy);
        this.secrets = new VaultSecrets(items, cipher);
        this.keys = new VaultKeys(items, cipher);
    }

    @Override
    public void close() {
        db.close();
    }
}
