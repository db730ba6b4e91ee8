package dev.bulwark.service.openai;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** One Bulwark and fake model server per test class; every test starts with a well-behaved upstream. */
abstract class OpenAiEndToEnd {
    @TempDir
    static Path home;
    static OpenAiFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new OpenAiFixture(home);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void normalUpstream() {
        fx.upstream.mode(FakeModelServer.Mode.NORMAL);
        fx.upstream.chunkPauseMs(0);
    }
}
