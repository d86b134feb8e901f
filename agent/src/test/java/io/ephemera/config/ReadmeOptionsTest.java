package io.ephemera.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's option table is the documentation users read: it must list every option and its default. */
class ReadmeOptionsTest {

    @Test
    void readmeListsEveryOptionWithItsDefault() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        for (Option o : Option.values()) {
            String row = "| `" + o.key() + "` |";
            assertTrue(text.contains(row), "README option table lacks " + o.key());
            if (o.kind() != Option.Kind.LIST && !o.defaultValue().isEmpty()) {
                String line = text.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
                assertTrue(line.contains("`" + o.defaultValue() + "`"), "README default for " + o.key()
                        + " should be " + o.defaultValue() + ": " + line);
            }
        }
    }
}
