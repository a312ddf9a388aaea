package io.trainsight.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The repository the tests run in: its docker/ files, YAML and JSON readers, its POMs. */
final class Repo {

    /** The repository root: the tests run in examples/. */
    static final Path ROOT = findRoot();

    /** docker/ in the repository. */
    static final Path DOCKER = ROOT.resolve("docker");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {}

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Reads a YAML file of one document. */
    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every document of a YAML file (or text) separated by {@code ---}. */
    static List<JsonNode> yamlDocuments(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(text)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** Reads a JSON file. */
    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a text file. */
    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A property of the parent POM, e.g. {@code pytorch.version}. */
    static String pomProperty(String name) {
        NodeList found = pom(ROOT).getElementsByTagName(name);
        if (found.getLength() == 0) {
            throw new IllegalStateException("the parent POM has no property " + name);
        }
        return found.item(0).getTextContent().trim();
    }

    /** The modules the parent POM lists. */
    static List<String> modules() {
        return childTexts(pom(ROOT).getDocumentElement(), "modules", "module");
    }

    /**
     * The modules a module builds on, itself included: its io.trainsight dependencies (not test
     * ones), and theirs.
     */
    static List<String> moduleClosure(String module) {
        List<String> closure = new ArrayList<>(List.of(module));
        for (int i = 0; i < closure.size(); i++) {
            Element dependencies =
                    child(pom(ROOT.resolve(closure.get(i))).getDocumentElement(), "dependencies");
            if (dependencies == null) {
                continue;
            }
            for (Element dependency : children(dependencies, "dependency")) {
                String scope = text(dependency, "scope");
                if ("io.trainsight".equals(text(dependency, "groupId"))
                        && !"test".equals(scope)
                        && !closure.contains(text(dependency, "artifactId"))) {
                    closure.add(text(dependency, "artifactId"));
                }
            }
        }
        return closure;
    }

    private static Document pom(Path dir) {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(dir.resolve("pom.xml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + dir.resolve("pom.xml"), e);
        }
    }

    private static List<String> childTexts(Element parent, String list, String item) {
        Element holder = child(parent, list);
        List<String> texts = new ArrayList<>();
        if (holder != null) {
            for (Element e : children(holder, item)) {
                texts.add(e.getTextContent().trim());
            }
        }
        return texts;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
