package dev.bulwark.vault;

import java.time.Instant;

/** A soft-deleted secret or key: when it was deleted and when it will be purged for good. */
public record DeletedItem(Instant deletedDate, Instant scheduledPurgeDate) {
}
