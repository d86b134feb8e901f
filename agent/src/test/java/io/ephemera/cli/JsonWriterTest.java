package io.ephemera.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWriterTest {

    @Test
    void placesCommasInNestedObjectsAndArrays() {
        String json = new JsonWriter().beginObject()
                .field("a", 1)
                .name("b").beginArray().value("x").value(2.25, 1).value(true).value((String) null).endArray()
                .name("c").beginObject().endObject()
                .name("d").beginArray().beginObject().field("e", false).endObject().beginObject().endObject().endArray()
                .endObject().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\",2.3,true,null],\"c\":{},\"d\":[{\"e\":false},{}]}", json);
        Map<String, Object> back = MiniJson.object(json);
        assertEquals(Arrays.asList("x", new BigDecimal("2.3"), true, null), back.get("b"));
    }

    @Test
    void escapesWhatJsonRequires() {
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000esc\u001bls\u2028ps\u2029é😀";
        String json = new JsonWriter().beginObject().field(nasty, nasty).endObject().toString();
        assertEquals("{\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\fnul\\u0000esc\\u001bls\\u2028ps\\u2029é😀\":"
                + "\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\fnul\\u0000esc\\u001bls\\u2028ps\\u2029é😀\"}", json);
        assertEquals(nasty, MiniJson.object(json).get(nasty), "reads back as written");
    }

    @Test
    void aLoneSurrogateIsEscapedNotWrittenRaw() {
        String json = new JsonWriter().beginArray().value("a\uD800b").value("\uDC00").endArray().toString();
        assertEquals("[\"a\\ud800b\",\"\\udc00\"]", json);
    }

    @Test
    void numbersJsonLacksAreNull() {
        String json = new JsonWriter().beginArray().value(Double.NaN, 1).value(Double.POSITIVE_INFINITY, 1)
                .value(-0.04, 1).endArray().toString();
        assertEquals("[null,null,0.0]", json);
    }

    @Test
    void anUnclosedDocumentIsAnError() {
        JsonWriter w = new JsonWriter().beginObject();
        assertThrows(IllegalStateException.class, w::toString);
    }

    @Test
    void theTestReaderRejectsWhatIsNotJson() {
        for (String bad : List.of("{\"a\":1,}", "[1 2]", "{\"a\":\"x\ny\"}", "{'a':1}", "[01]", "{\"a\":1}x",
                "{\"a\":1,\"a\":2}", "[\"\\x\"]", "", "[1.]")) {
            assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
        }
    }
}
