package dev.bulwark.server;

/**
 * A data-plane listener as network rules see it: its name (what {@code network.<name>.listeners}
 * lists) and whether it is private. One constant per listener, shared by all its requests.
 */
record DataListener(String name, boolean isPrivate) {
    /** The public data listener ({@code data.listen}). */
    static final DataListener PUBLIC = new DataListener("data", false);
    /** The optional private data listener ({@code data.private.listen}). */
    static final DataListener PRIVATE = new DataListener("private", true);
}
