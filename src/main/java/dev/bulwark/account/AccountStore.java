package dev.bulwark.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.PublicNetworkAccess;
import dev.bulwark.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JDBC access to accounts and their stored keys. Every method runs inside the caller's transaction. */
public final class AccountStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<Account> find(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM accounts WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<Account> list(Connection c) throws SQLException {
        List<Account> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM accounts ORDER BY name");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    public void insert(Connection c, Account a) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO accounts(name, kind, location, sku, tags_json, props_json, created_at, updated_at, "
                        + "network_acls, public_network_access, restrict_outbound_network_access, allowed_fqdn_list, encryption) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            p.setString(1, a.name());
            p.setString(2, a.kind().name());
            p.setString(3, a.location());
            p.setString(4, a.sku());
            p.setString(5, json(a.tags()));
            p.setString(6, propertiesJson(a.properties()));
            p.setString(7, a.createdAt().toString());
            p.setString(8, a.updatedAt().toString());
            p.setString(9, networkAclsJson(a.properties()));
            p.setString(10, a.properties().publicNetworkAccess().name());
            p.setInt(11, a.properties().restrictOutboundNetworkAccess() ? 1 : 0);
            p.setString(12, allowedFqdnJson(a.properties()));
            p.setString(13, encryptionJson(a.properties()));
            p.executeUpdate();
        }
    }

    public void update(Connection c, Account a) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE accounts SET sku = ?, tags_json = ?, props_json = ?, updated_at = ?, network_acls = ?, "
                        + "public_network_access = ?, restrict_outbound_network_access = ?, allowed_fqdn_list = ?, "
                        + "encryption = ? WHERE name = ?")) {
            p.setString(1, a.sku());
            p.setString(2, json(a.tags()));
            p.setString(3, propertiesJson(a.properties()));
            p.setString(4, a.updatedAt().toString());
            p.setString(5, networkAclsJson(a.properties()));
            p.setString(6, a.properties().publicNetworkAccess().name());
            p.setInt(7, a.properties().restrictOutboundNetworkAccess() ? 1 : 0);
            p.setString(8, allowedFqdnJson(a.properties()));
            p.setString(9, encryptionJson(a.properties()));
            p.setString(10, a.name());
            if (p.executeUpdate() != 1) {
                throw new StoreException("account " + a.name() + " vanished during update");
            }
        }
    }

    public boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM accounts WHERE name = ?")) {
            p.setString(1, name);
            return p.executeUpdate() == 1;
        }
    }

    public void putKey(Connection c, StoredKey k, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO account_keys(account, key_name, digest, ciphertext, created_at) VALUES (?,?,?,?,?) "
                        + "ON CONFLICT(account, key_name) DO UPDATE SET digest = excluded.digest, "
                        + "ciphertext = excluded.ciphertext, created_at = excluded.created_at")) {
            p.setString(1, k.account());
            p.setString(2, k.name().name());
            p.setBytes(3, k.digest());
            p.setBytes(4, k.ciphertext());
            p.setString(5, now.toString());
            p.executeUpdate();
        }
    }

    public List<StoredKey> keys(Connection c, String account) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT account, key_name, digest, ciphertext FROM account_keys WHERE account = ? ORDER BY key_name")) {
            p.setString(1, account);
            return readKeys(p);
        }
    }

    public List<StoredKey> allKeys(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT account, key_name, digest, ciphertext FROM account_keys")) {
            return readKeys(p);
        }
    }

    private static List<StoredKey> readKeys(PreparedStatement p) throws SQLException {
        List<StoredKey> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredKey(rs.getString(1), KeyName.valueOf(rs.getString(2)), rs.getBytes(3), rs.getBytes(4)));
            }
        }
        return out;
    }

    private static Account read(ResultSet rs) throws SQLException {
        try {
            Map<String, String> tags = JSON.readValue(rs.getString("tags_json"), new TypeReference<>() { });
            ObjectNode props = (ObjectNode) JSON.readTree(rs.getString("props_json"));
            String acls = rs.getString("network_acls");
            AccountProperties properties = new AccountProperties(props.path("disableLocalAuth").asBoolean(false),
                    acls == null ? null : NetworkAcls.fromJson(JSON.readTree(acls)),
                    PublicNetworkAccess.parse(rs.getString("public_network_access")),
                    rs.getInt("restrict_outbound_network_access") != 0, allowedFqdnList(rs.getString("allowed_fqdn_list")),
                    encryption(rs.getString("encryption")));
            return new Account(rs.getString("name"), AccountKind.valueOf(rs.getString("kind")),
                    rs.getString("location"), rs.getString("sku"), tags, properties,
                    Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("updated_at")));
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt account row " + rs.getString("name"), e);
        }
    }

    private static String propertiesJson(AccountProperties p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("disableLocalAuth", p.disableLocalAuth());
        return n.toString();
    }

    private static String allowedFqdnJson(AccountProperties p) {
        return p.allowedFqdnList() == null ? null : json(p.allowedFqdnList());
    }

    private static java.util.List<String> allowedFqdnList(String text) throws JsonProcessingException {
        return text == null ? null : JSON.readValue(text, new TypeReference<java.util.List<String>>() { });
    }

    private static String encryptionJson(AccountProperties p) {
        return p.encryption().customerManaged() ? p.encryption().toJson().toString() : null;
    }

    private static AccountEncryption encryption(String text) throws JsonProcessingException {
        return text == null ? AccountEncryption.SERVICE : AccountEncryption.fromJson(JSON.readTree(text));
    }

    private static String networkAclsJson(AccountProperties p) {
        return p.networkAcls() == null ? null : p.networkAcls().toJson().toString();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise", e);
        }
    }
}
