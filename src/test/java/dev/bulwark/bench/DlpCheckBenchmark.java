package dev.bulwark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dlp.AllowedFqdns;
import dev.bulwark.dlp.DlpCheck;
import dev.bulwark.dlp.DlpPolicy;
import dev.bulwark.dlp.DlpViolation;
import dev.bulwark.service.UrlField;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The DLP check of a chat request carrying 10 image URLs, all on an allow-list of 100 hosts, with the
 * chat route's three declared URL fields: every URL is parsed and looked up, nothing short-circuits.
 * The body is parsed once in setup (the gateway parses it once for all stages). Run:
 * bench/jmh.sh DlpCheckBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DlpCheckBenchmark {
    List<UrlField> fields;
    JsonNode body;
    DlpPolicy policy;

    @Setup(Level.Trial)
    public void setup() {
        fields = List.of(new UrlField("messages[].content[].image_url.url"), new UrlField("messages[].content[].file.file_url"),
                new UrlField("messages[].content[].video_url.url"));
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hosts.add("images" + i + ".example.com");
        }
        policy = DlpPolicy.restrictedTo(AllowedFqdns.of(hosts));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("model", "gpt-4o");
        ObjectNode user = root.putArray("messages").addObject().put("role", "user");
        ArrayNode content = user.putArray("content");
        content.addObject().put("type", "text").put("text", "Compare these ten product photos and list the differences.");
        for (int i = 0; i < 10; i++) {
            content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", "https://images" + (i * 7) + ".example.com/catalogue/2024/item-" + i + ".png?sig=abc123&w=1024")
                    .put("detail", "high");
        }
        body = root;
        if (DlpCheck.check(fields, body, policy).isPresent()) {
            throw new IllegalStateException("benchmark body must pass");
        }
    }

    @Benchmark
    public Optional<DlpViolation> tenAllowedUrls() {
        return DlpCheck.check(fields, body, policy);
    }
}
