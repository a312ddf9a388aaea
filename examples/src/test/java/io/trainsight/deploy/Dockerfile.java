package io.trainsight.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read the way Docker reads it: comments dropped, continued lines joined, one {@link
 * Instruction} per instruction, numbered by build stage.
 */
final class Dockerfile {

    /**
     * One instruction.
     *
     * @param stage the build stage, 0 for the first FROM
     * @param keyword the instruction, upper case
     * @param arguments the rest of the line, continuations joined
     * @param line the line it starts on, 1-based
     */
    record Instruction(int stage, String keyword, String arguments, int line) {

        /** The arguments split into words, quotes removed (for ENV, COPY, FROM, USER ...). */
        List<String> words() {
            return Dockerfile.words(arguments);
        }

        /** The arguments of the JSON (exec) form, e.g. {@code ["trainsight"]}. */
        List<String> execForm() {
            String json = arguments.strip();
            if (!json.startsWith("[")) {
                throw new AssertionError(
                        "line " + line + ": " + keyword + " is not in the exec (JSON) form");
            }
            try {
                return new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + arguments;
        }
    }

    private final List<Instruction> instructions;
    private final List<String> stageNames = new ArrayList<>();

    private Dockerfile(List<Instruction> instructions) {
        this.instructions = instructions;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                List<String> w = i.words();
                int as = w.size() - 2;
                stageNames.add(as > 0 && w.get(as).equalsIgnoreCase("AS") ? w.get(as + 1) : null);
            }
        }
    }

    /** Parses a Dockerfile's text. */
    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int stage = -1;
        for (int i = 0; i < lines.length; i++) {
            String first = lines[i].strip();
            if (first.isEmpty() || first.startsWith("#")) {
                continue;
            }
            int start = i + 1;
            StringBuilder joined = new StringBuilder();
            String current = lines[i];
            while (true) {
                String trimmed = current.stripTrailing();
                if (!trimmed.endsWith("\\")) {
                    joined.append(trimmed);
                    break;
                }
                joined.append(trimmed, 0, trimmed.length() - 1).append(' ');
                // comment and blank lines inside a continued instruction are skipped, as Docker
                // does
                do {
                    i++;
                } while (i < lines.length
                        && (lines[i].isBlank() || lines[i].strip().startsWith("#")));
                if (i >= lines.length) {
                    break;
                }
                current = lines[i];
            }
            String instruction = joined.toString().strip();
            int space = instruction.indexOf(' ');
            String keyword =
                    (space < 0 ? instruction : instruction.substring(0, space))
                            .toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : instruction.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(
                    new Instruction(stage, keyword, arguments.replaceAll("\\s+", " "), start));
        }
        return new Dockerfile(instructions);
    }

    /** All instructions, in order. */
    List<Instruction> instructions() {
        return instructions;
    }

    /** The instructions with a keyword, in order. */
    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions with a keyword in one stage. */
    List<Instruction> all(int stage, String keyword) {
        return all(keyword).stream().filter(i -> i.stage() == stage).toList();
    }

    /** The last instruction with a keyword in a stage. */
    Optional<Instruction> last(int stage, String keyword) {
        List<Instruction> found = all(stage, keyword);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The index of the final stage, the image. */
    int finalStage() {
        return stageNames.size() - 1;
    }

    /** The index of a named stage. */
    int stage(String name) {
        int index = stageNames.indexOf(name);
        if (index < 0) {
            throw new AssertionError("no build stage named " + name + "; stages: " + stageNames);
        }
        return index;
    }

    /** The stage names ({@code AS name}), null for unnamed stages. */
    List<String> stageNames() {
        return stageNames;
    }

    /** The environment a stage sets, in order (later ENV instructions win). */
    Map<String, String> env(int stage) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : all(stage, "ENV")) {
            List<String> w = i.words();
            if (w.size() >= 1 && !w.get(0).contains("=")) {
                env.put(w.get(0), String.join(" ", w.subList(1, w.size())));
                continue;
            }
            for (String pair : w) {
                int eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    /**
     * A COPY instruction.
     *
     * @param from the stage it copies from ({@code --from}), or null for the build context
     * @param sources the source paths
     * @param destination the destination path
     * @param instruction the instruction
     */
    record Copy(String from, List<String> sources, String destination, Instruction instruction) {}

    /** The COPY instructions of a stage. */
    List<Copy> copies(int stage) {
        List<Copy> copies = new ArrayList<>();
        for (Instruction i : all(stage, "COPY")) {
            String from = null;
            List<String> paths = new ArrayList<>();
            for (String w : i.words()) {
                if (w.startsWith("--from=")) {
                    from = w.substring("--from=".length());
                } else if (!w.startsWith("--")) {
                    paths.add(w);
                }
            }
            copies.add(
                    new Copy(
                            from,
                            paths.subList(0, paths.size() - 1),
                            paths.get(paths.size() - 1),
                            i));
        }
        return copies;
    }

    /** Splits on blanks outside double or single quotes, and removes the quotes. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
