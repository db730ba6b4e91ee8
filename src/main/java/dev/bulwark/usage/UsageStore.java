package dev.bulwark.usage;

import dev.bulwark.store.Database;
import dev.bulwark.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** SQL for the {@code usage_hourly} table (V7__usage.sql). Blocking: never call it on an event loop. */
public final class UsageStore {
    static final long HOUR_SECONDS = 3600;

    private final Database db;

    public UsageStore(Database db) {
        this.db = db;
    }

    /** Epoch seconds of the start of the UTC hour holding {@code t}. */
    static long hourOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), HOUR_SECONDS) * HOUR_SECONDS;
    }

    /** Adds every delta to its row of bucket {@code hour}, all in one write transaction. */
    void add(long hour, List<UsageDelta> deltas) {
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO usage_hourly(hour, account, deployment, key_id, principal, "
                    + "requests, prompt_tokens, completion_tokens) VALUES (?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT(account, deployment, hour, key_id, principal) DO UPDATE SET "
                    + "requests = requests + excluded.requests, "
                    + "prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
                    + "completion_tokens = completion_tokens + excluded.completion_tokens")) {
                for (UsageDelta d : deltas) {
                    UsageCell cell = d.cell();
                    p.setLong(1, hour);
                    p.setString(2, cell.account);
                    p.setString(3, cell.deployment);
                    p.setString(4, cell.keyId);
                    p.setString(5, cell.principal);
                    p.setLong(6, d.requests());
                    p.setLong(7, d.promptTokens());
                    p.setLong(8, d.completionTokens());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /**
     * Grouped sums, ordered by the grouped dimensions. Returns at most {@link UsageQuery#MAX_ROWS} + 1
     * rows: more than MAX_ROWS means the answer was too large to give whole.
     */
    public List<UsageRow> query(UsageQuery q) {
        StringJoiner dims = new StringJoiner(", ");
        q.groupBy().forEach(d -> dims.add(d.column()));
        StringBuilder sql = new StringBuilder("SELECT " + dims + ", SUM(requests), SUM(prompt_tokens), SUM(completion_tokens) "
                + "FROM usage_hourly WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.account() != null) {
            sql.append(" AND account = ?");
            args.add(q.account());
        }
        if (q.deployment() != null) {
            sql.append(" AND deployment = ?");
            args.add(q.deployment());
        }
        if (q.from() != null) {
            sql.append(" AND hour >= ?");
            args.add(hourOf(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND hour < ?");
            args.add(q.to().getEpochSecond() + (q.to().getNano() > 0 ? 1 : 0));
        }
        sql.append(" GROUP BY ").append(dims).append(" ORDER BY ").append(dims).append(" LIMIT ?");
        args.add(UsageQuery.MAX_ROWS + 1);
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                List<UsageRow> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(q, rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot query usage: " + e.getMessage(), e);
            }
        });
    }

    private static UsageRow row(UsageQuery q, ResultSet rs) throws SQLException {
        String account = null;
        String deployment = null;
        String keyId = null;
        String principal = null;
        Instant hour = null;
        int i = 1;
        for (UsageDimension d : q.groupBy()) {
            switch (d) {
                case ACCOUNT -> account = rs.getString(i);
                case DEPLOYMENT -> deployment = rs.getString(i);
                case KEY -> {
                    String k = rs.getString(i);
                    keyId = k == null || k.equals(UsageRecorder.NO_KEY) ? null : k;
                }
                case PRINCIPAL -> principal = rs.getString(i);
                case HOUR -> hour = Instant.ofEpochSecond(rs.getLong(i));
            }
            i++;
        }
        return new UsageRow(account, deployment, keyId, principal, hour, rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2));
    }
}
