package dev.bulwark.service.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset the test moves forward (read from the event loop: thread-safe). */
final class SkewedClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    void skip(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
