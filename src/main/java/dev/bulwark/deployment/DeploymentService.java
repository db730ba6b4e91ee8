package dev.bulwark.deployment;

import dev.bulwark.account.AccountNotFoundException;
import dev.bulwark.account.AccountStore;
import dev.bulwark.snapshot.DeploymentView;
import dev.bulwark.snapshot.SnapshotHolder;
import dev.bulwark.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Deployment lifecycle. Every change commits to the store and then swaps the data-plane snapshot
 * before returning, so the proxy routes by it on the very next request (as {@code AccountService}
 * does). Blocking: call from a worker thread, never an event loop.
 */
public final class DeploymentService {
    /** {@link #credentialStatus} when nothing is wrong (including a deployment without a credential). */
    public static final String CREDENTIAL_OK = "ok";

    private final Database db;
    private final DeploymentStore store = new DeploymentStore();
    private final AccountStore accounts = new AccountStore();
    private final SnapshotHolder snapshots;
    private final Clock clock;

    public DeploymentService(Database db, SnapshotHolder snapshots, Clock clock) {
        this.db = db;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    public record PutResult(Deployment deployment, boolean created) {
    }

    /** Creates the deployment or replaces it whole (ARM's PUT); the creation time survives a replace. */
    public PutResult put(String account, String name, DeploymentSpec spec) {
        DeploymentName.validate(name);
        Instant now = clock.instant();
        PutResult result = db.inTransaction(c -> {
            requireAccount(c, account);
            Optional<Deployment> existing = store.find(c, account, name);
            Deployment d = new Deployment(account, name, spec, existing.map(Deployment::createdAt).orElse(now), now);
            store.put(c, d);
            return new PutResult(d, existing.isEmpty());
        });
        snapshots.refresh();
        return result;
    }

    public Deployment get(String account, String name) {
        return db.read(c -> {
            requireAccount(c, account);
            return store.find(c, account, name).orElseThrow(() -> new DeploymentNotFoundException(account, name));
        });
    }

    public List<Deployment> list(String account) {
        return db.read(c -> {
            requireAccount(c, account);
            return store.list(c, account);
        });
    }

    /** True if the deployment existed. The proxy stops routing to it before this returns. */
    public boolean delete(String account, String name) {
        boolean deleted = db.inTransaction(c -> {
            requireAccount(c, account);
            return store.delete(c, account, name);
        });
        if (deleted) {
            snapshots.refresh();
        }
        return deleted;
    }

    /**
     * What the data plane made of the deployment's credential: {@link #CREDENTIAL_OK}, or why it
     * could not resolve the reference (safe to show: it names the reference, never a value). Read
     * from the current snapshot, because that is what the proxy uses.
     */
    public String credentialStatus(Deployment d) {
        DeploymentView view = snapshots.current().deployment(d.account(), d.name());
        if (view == null) {
            return "not loaded yet";
        }
        return view.credentialProblem() == null ? CREDENTIAL_OK : view.credentialProblem();
    }

    private void requireAccount(Connection c, String account) throws SQLException {
        if (accounts.find(c, account).isEmpty()) {
            throw new AccountNotFoundException(account);
        }
    }
}
