package dev.bulwark.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class UrlFieldTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UrlField IMAGE = new UrlField("messages[].content[].image_url.url");

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<List<String>> found(UrlField f, String body) {
        List<List<String>> out = new ArrayList<>();
        f.forEachValue(json(body), (name, value) -> out.add(List.of(name, value)));
        return out;
    }

    @Test
    void stringContentHasNoUrls() {
        assertThat(found(IMAGE, "{'model':'gpt','messages':[{'role':'user','content':'http://example.com/a.png'}]}")).isEmpty();
    }

    @Test
    void findsEveryImageUrlWithItsConcreteParameterName() {
        String body = """
                {'model':'gpt-4o','messages':[
                  {'role':'system','content':'You describe images.'},
                  {'role':'user','content':[
                    {'type':'text','text':'What is this? http://not-a-field.example/x'},
                    {'type':'image_url','image_url':{'url':'https://img.example/1.png','detail':'high'}},
                    {'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}}
                  ]},
                  {'role':'assistant','content':'A cat.'},
                  {'role':'user','content':[
                    {'type':'image_url','image_url':{'url':'http://169.254.169.254/latest/meta-data/'}}
                  ]}
                ]}""";
        assertThat(found(IMAGE, body)).containsExactly(
                List.of("messages[1].content[1].image_url.url", "https://img.example/1.png"),
                List.of("messages[1].content[2].image_url.url", "data:image/png;base64,AAAA"),
                List.of("messages[3].content[0].image_url.url", "http://169.254.169.254/latest/meta-data/"));
        assertThat(IMAGE.values(json(body))).extracting(a -> a[0], a -> a[1]).containsExactly(
                tuple("messages[1].content[1].image_url.url", "https://img.example/1.png"),
                tuple("messages[1].content[2].image_url.url", "data:image/png;base64,AAAA"),
                tuple("messages[3].content[0].image_url.url", "http://169.254.169.254/latest/meta-data/"));
    }

    @Test
    void missingBranchesAreSkipped() {
        assertThat(found(IMAGE, "{}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{}]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{'content':[]}]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{'content':[{'type':'image_url'}]}]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{'content':[{'image_url':{}}]}]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':null}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{'content':[{'image_url':{'url':null}}]}]}")).isEmpty();
    }

    @Test
    void nonObjectElementsAreSkippedButTheirSiblingsAreStillChecked() {
        String body = "{'messages':[1,'x',null,[],true,{'content':[7,'s',null,[{'image_url':{'url':'http://inner'}}],"
                + "{'image_url':'http://not-an-object'},{'image_url':{'url':'http://ok'}}]}]}";
        // The string form of image_url is no object, but it is a URL: reported under the parent's name.
        assertThat(found(IMAGE, body)).containsExactly(List.of("messages[5].content[4].image_url", "http://not-an-object"),
                List.of("messages[5].content[5].image_url.url", "http://ok"));
    }

    @Test
    void aStringWhereTheDeclaredFieldsParentShouldBeIsTheUrl() {
        assertThat(found(IMAGE, "{'messages':[{'content':[{'type':'image_url','image_url':'http://10.0.0.1/x'},"
                + "{'image_url':{'url':'http://y'}},{'image_url':42}]}]}")).containsExactly(
                List.of("messages[0].content[0].image_url", "http://10.0.0.1/x"),
                List.of("messages[0].content[1].image_url.url", "http://y"));
        // Only the declared field's parent: a string higher up (plain text content) is no URL.
        assertThat(found(IMAGE, "{'messages':[{'content':[{'image_url':'u'}, 'http://text']}]}"))
                .containsExactly(List.of("messages[0].content[0].image_url", "u"));
        List<UrlField.Slot> slots = new ArrayList<>();
        IMAGE.forEachSlot(json("{'messages':[{'content':[{'image_url':'http://s'},{'image_url':{'url':'http://o'}}]}]}"), slots::add);
        assertThat(slots).extracting(UrlField.Slot::field, UrlField.Slot::stringForm, s -> s.holder().toString())
                .containsExactly(tuple("image_url", true, "{\"image_url\":\"http://s\"}"),
                        tuple("url", false, "{\"url\":\"http://o\"}"));
    }

    @Test
    void nonArrayWhereAnArrayIsExpectedIsSkipped() {
        assertThat(found(IMAGE, "{'messages':{'content':[{'image_url':{'url':'http://x'}}]}}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':[{'content':{'image_url':{'url':'http://x'}}}]}")).isEmpty();
        assertThat(found(IMAGE, "{'messages':'http://x'}")).isEmpty();
        assertThat(found(IMAGE, "[{'messages':[]}]")).isEmpty();
        assertThat(found(IMAGE, "'text'")).isEmpty();
    }

    @Test
    void nonTextValuesAreReportedAsJsonTextSoACheckCanRefuseThem() {
        String body = "{'messages':[{'content':["
                + "{'image_url':{'url':42}},"
                + "{'image_url':{'url':{'href':'http://evil'}}},"
                + "{'image_url':{'url':['http://a','http://b']}},"
                + "{'image_url':{'url':true}},"
                + "{'image_url':{'url':''}}"
                + "]}]}";
        assertThat(found(IMAGE, body)).containsExactly(
                List.of("messages[0].content[0].image_url.url", "42"),
                List.of("messages[0].content[1].image_url.url", "{\"href\":\"http://evil\"}"),
                List.of("messages[0].content[2].image_url.url", "[\"http://a\",\"http://b\"]"),
                List.of("messages[0].content[3].image_url.url", "true"),
                List.of("messages[0].content[4].image_url.url", ""));
    }

    @Test
    void textValueIsTheRawStringNotJsonQuoted() {
        assertThat(found(IMAGE, "{'messages':[{'content':[{'image_url':{'url':'http://a/\\\\\\'b'}}]}]}"))
                .containsExactly(List.of("messages[0].content[0].image_url.url", "http://a/\\\"b"));
    }

    @Test
    void otherDeclaredPathsWork() {
        UrlField file = new UrlField("messages[].content[].file.file_url");
        assertThat(found(file, "{'messages':[{'content':[{'type':'file','file':{'file_url':'http://f'}}]}]}"))
                .containsExactly(List.of("messages[0].content[0].file.file_url", "http://f"));
        UrlField top = new UrlField("url");
        assertThat(found(top, "{'url':'http://t'}")).containsExactly(List.of("url", "http://t"));
        UrlField list = new UrlField("urls[]");
        assertThat(found(list, "{'urls':['a',1,null,'b']}")).containsExactly(
                List.of("urls[0]", "a"), List.of("urls[1]", "1"), List.of("urls[3]", "b"));
        UrlField nested = new UrlField("a.b.c");
        assertThat(found(nested, "{'a':{'b':{'c':'v'}}}")).containsExactly(List.of("a.b.c", "v"));
        assertThat(found(nested, "{'a':{'b':'v'}}")).containsExactly(List.of("a.b", "v")); // the string form
        assertThat(found(nested, "{'a':'v'}")).isEmpty();
    }

    @Test
    void largeBodiesReportEveryValueInOrder() {
        StringBuilder b = new StringBuilder("{'messages':[");
        for (int m = 0; m < 50; m++) {
            b.append(m == 0 ? "" : ",").append("{'content':[");
            for (int c = 0; c < 20; c++) {
                b.append(c == 0 ? "" : ",").append("{'image_url':{'url':'u").append(m).append('-').append(c).append("'}}");
            }
            b.append("]}");
        }
        b.append("]}");
        List<List<String>> all = found(IMAGE, b.toString());
        assertThat(all).hasSize(1000);
        assertThat(all.get(0)).containsExactly("messages[0].content[0].image_url.url", "u0-0");
        assertThat(all.get(999)).containsExactly("messages[49].content[19].image_url.url", "u49-19");
        assertThat(all.get(421)).containsExactly("messages[21].content[1].image_url.url", "u21-1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t", ".url", "url.", "a..b", "messages[]..url", "."})
    void invalidDeclarationsAreRejected(String path) {
        assertThatThrownBy(() -> new UrlField(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordKeepsItsPath() {
        assertThat(IMAGE.path()).isEqualTo("messages[].content[].image_url.url");
        assertThat(IMAGE).isEqualTo(new UrlField("messages[].content[].image_url.url"));
    }
}
