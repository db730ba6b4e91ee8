package dev.bulwark.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What an account's keys look like at rest: their rows, read straight from the database file. */
final class StoredAccountKeys {
    private StoredAccountKeys() {
    }

    /** The stored envelopes of the account's keys, KEY1 first. */
    static List<byte[]> envelopes(Path home, String account) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("bulwark.db"));
             PreparedStatement p = c.prepareStatement("SELECT ciphertext FROM account_keys WHERE account = ? ORDER BY key_name")) {
            p.setString(1, account);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        return out;
    }

    /** The same, as ISO-8859-1 text, so headers (magic, key names, versions) can be searched. */
    static List<String> envelopesAsText(Path home, String account) throws Exception {
        return envelopes(home, account).stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }
}
