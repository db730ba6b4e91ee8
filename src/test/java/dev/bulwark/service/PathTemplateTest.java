package dev.bulwark.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathTemplateTest {
    private static final PathTemplate CHAT = new PathTemplate("/openai/deployments/{deployment}/chat/completions");

    @Test
    void matchesTheDeclaredShapeAndExtractsTheVariable() {
        String path = "/openai/deployments/gpt-4o/chat/completions";
        assertThat(CHAT.matches(path)).isTrue();
        assertThat(CHAT.variable(path, "deployment")).isEqualTo("gpt-4o");
        assertThat(CHAT.text()).isEqualTo("/openai/deployments/{deployment}/chat/completions");
        assertThat(CHAT).hasToString("/openai/deployments/{deployment}/chat/completions");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/openai/deployments/gpt-4o/chat/completions/extra", // extra segment
            "/openai/deployments/gpt-4o/chat/completions/", // trailing slash
            "/openai/deployments/gpt-4o/chat", // missing segment
            "/openai/deployments/chat/completions", // variable segment missing
            "/openai/deployments//chat/completions", // empty variable segment
            "/openai/deployments/gpt-4o//chat/completions", // empty segment inserted
            "//openai/deployments/gpt-4o/chat/completions", // leading empty segment
            "/OpenAI/deployments/gpt-4o/chat/completions", // case of a literal
            "/openai/Deployments/gpt-4o/chat/completions",
            "/openai/deployments/gpt-4o/chat/Completions",
            "/openai/deployments/gpt-4o/chat/completion", // literal one char short
            "/openai/deployments/gpt-4o/chat/completionsX", // literal one char long
            "/openai/deployments/gpt-4o/chat%2Fcompletions", // encoded slash is not a separator
            "openai/deployments/gpt-4o/chat/completions", // no leading slash
            "/openai/deployments/a/b/chat/completions", // variable spans two segments
            "/",
            "",
            "/openai"
    })
    void doesNotMatchOtherShapes(String path) {
        assertThat(CHAT.matches(path)).as(path).isFalse();
    }

    @Test
    void percentEncodedSlashStaysInsideOneSegment() {
        String path = "/openai/deployments/a%2Fb%2F..%2Fc/chat/completions";
        assertThat(CHAT.matches(path)).isTrue();
        assertThat(CHAT.variable(path, "deployment")).isEqualTo("a%2Fb%2F..%2Fc");
        // Lower-case encoding too: no decoding happens.
        assertThat(CHAT.variable("/openai/deployments/x%2fy/chat/completions", "deployment")).isEqualTo("x%2fy");
    }

    @Test
    void dotSegmentsAreLiteralValuesNotNavigation() {
        assertThat(CHAT.matches("/openai/deployments/../chat/completions")).isTrue();
        assertThat(CHAT.variable("/openai/deployments/../chat/completions", "deployment")).isEqualTo("..");
        assertThat(CHAT.variable("/openai/deployments/./chat/completions", "deployment")).isEqualTo(".");
        // A '..' cannot stand in for a literal segment.
        assertThat(CHAT.matches("/openai/../deployments/x/chat/completions")).isFalse();
        assertThat(CHAT.matches("/openai/deployments/x/../completions")).isFalse();
        assertThat(CHAT.matches("/openai/deployments/x/chat/../chat/completions")).isFalse();
    }

    @Test
    void caseOfTheVariableValueIsKept() {
        assertThat(CHAT.variable("/openai/deployments/GPT-4o/chat/completions", "deployment")).isEqualTo("GPT-4o");
    }

    @Test
    void veryLongPathsMatchOrFailWithoutTrouble() {
        String longName = "d".repeat(100_000);
        String path = "/openai/deployments/" + longName + "/chat/completions";
        assertThat(CHAT.matches(path)).isTrue();
        assertThat(CHAT.variable(path, "deployment")).isEqualTo(longName);

        String manySegments = "/openai/deployments/x/chat/completions" + "/a".repeat(50_000);
        assertThat(CHAT.matches(manySegments)).isFalse();
        assertThat(CHAT.matches("/".repeat(100_000))).isFalse();
    }

    @Test
    void severalVariablesEachTakeTheirOwnSegment() {
        PathTemplate t = new PathTemplate("/accounts/{account}/deployments/{deployment}");
        String path = "/accounts/acme/deployments/gpt";
        assertThat(t.matches(path)).isTrue();
        assertThat(t.variable(path, "account")).isEqualTo("acme");
        assertThat(t.variable(path, "deployment")).isEqualTo("gpt");
        assertThat(t.variable(path, "missing")).isNull();
        assertThat(t.variable(path, "deployments")).isNull(); // a literal is not a variable
        assertThat(t.matches("/accounts//deployments/gpt")).isFalse();
        assertThat(t.matches("/accounts/acme/deployments/")).isFalse();
        assertThat(t.matches("/accounts/acme/deployments")).isFalse();
    }

    @Test
    void variableAsLastSegmentNeedsAValue() {
        PathTemplate t = new PathTemplate("/models/{model}");
        assertThat(t.matches("/models/m")).isTrue();
        assertThat(t.variable("/models/m", "model")).isEqualTo("m");
        assertThat(t.matches("/models/")).isFalse();
        assertThat(t.matches("/models")).isFalse();
        assertThat(t.matches("/models/m/")).isFalse();
    }

    @Test
    void templateWithoutVariablesMatchesExactly() {
        PathTemplate t = new PathTemplate("/openai/models");
        assertThat(t.matches("/openai/models")).isTrue();
        assertThat(t.matches("/openai/models/")).isFalse();
        assertThat(t.matches("/openai/Models")).isFalse();
        assertThat(t.matches("/openai/modelsx")).isFalse();
        assertThat(new PathTemplate("/").matches("/")).isTrue();
        assertThat(new PathTemplate("/").matches("//")).isFalse();
    }

    @Test
    void isTemplateSpotsABrace() {
        assertThat(PathTemplate.isTemplate("/openai/deployments/{deployment}/embeddings")).isTrue();
        assertThat(PathTemplate.isTemplate("/openai/models")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "openai/deployments/{deployment}", // no leading slash
            "",
            "/openai/deployments/x{deployment}", // variable not a whole segment
            "/openai/deployments/{deployment}x",
            "/openai/{}/chat", // empty name
            "/openai/{/chat",
            "/openai/}/chat",
            "/openai/{a}{b}/chat", // two variables in one segment
            "/openai/{{a}}/chat", // brace inside a name
    })
    void badTemplatesAreRejected(String template) {
        assertThatThrownBy(() -> new PathTemplate(template)).isInstanceOf(IllegalArgumentException.class);
    }
}
