package dev.bulwark.identity.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormParametersTest {

    @Test
    void decodesPercentEscapesAndPlusAsFormEncodingDoes() throws Exception {
        assertThat(FormParameters.parse("scope=https%3A%2F%2Fx%2F.default&a=b+c&e=%C3%A9"))
                .containsEntry("scope", "https://x/.default").containsEntry("a", "b c").containsEntry("e", "é");
    }

    @Test
    void aParameterWithoutAValueCountsAsOmitted() throws Exception {
        assertThat(FormParameters.parse("a=&b&c=1&&")).containsOnlyKeys("c");
        assertThat(FormParameters.parse("")).isEmpty();
        assertThat(FormParameters.parse(null)).isEmpty();
    }

    @Test
    void repeatedParametersAreRefusedEvenWhenEqualOrEmpty() {
        assertThatThrownBy(() -> FormParameters.parse("a=1&a=1")).hasMessageContaining("repeated");
        assertThatThrownBy(() -> FormParameters.parse("a=&a=1")).hasMessageContaining("repeated");
        assertThatThrownBy(() -> FormParameters.parse("a=1&%61=2")).hasMessageContaining("repeated");
    }

    @Test
    void badEncodingNamelessParametersAndFloodsAreRefused() {
        assertThatThrownBy(() -> FormParameters.parse("a=%zz")).isInstanceOf(FormParameters.Malformed.class);
        assertThatThrownBy(() -> FormParameters.parse("a=%4")).isInstanceOf(FormParameters.Malformed.class);
        assertThatThrownBy(() -> FormParameters.parse("=x")).hasMessageContaining("no name");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= FormParameters.MAX_PARAMETERS; i++) {
            many.append("p").append(i).append("=1&");
        }
        assertThatThrownBy(() -> FormParameters.parse(many.toString())).hasMessageContaining("more than");
    }

    @Test
    void namesInMessagesArePrintableAndShort() {
        assertThat(FormParameters.printable("a\nb\u0000" + "x".repeat(100))).isEqualTo("a?b?" + "x".repeat(36));
    }
}
