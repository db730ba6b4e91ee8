package dev.bulwark.usage;

/** What one cell counted since its last successful flush: the amounts one flush adds to its bucket. */
record UsageDelta(UsageCell cell, long requests, long promptTokens, long completionTokens) {
}
