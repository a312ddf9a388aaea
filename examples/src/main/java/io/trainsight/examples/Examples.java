package io.trainsight.examples;

import io.trainsight.examples.cnn.CnnExample;
import io.trainsight.examples.gcpressure.GcPressureExample;
import io.trainsight.examples.iobound.IoBoundExample;
import io.trainsight.examples.leak.LeakExample;
import io.trainsight.examples.mlp.MlpExample;
import io.trainsight.examples.oomrisk.OomRiskExample;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The examples {@code trainsight train --example NAME} knows, by name. */
public final class Examples implements Iterable<String> {

    private final Map<String, Example> byName = new TreeMap<>();

    /**
     * Creates a registry of the given examples.
     *
     * @param examples the examples; their names must differ
     */
    public Examples(List<Example> examples) {
        for (Example example : examples) {
            if (byName.putIfAbsent(example.name(), example) != null) {
                throw new IllegalArgumentException("Two examples are named " + example.name());
            }
        }
    }

    /** Returns the examples that ship with trainsight. */
    public static Examples builtIn() {
        return new Examples(
                List.of(
                        new MlpExample(),
                        new CnnExample(),
                        new IoBoundExample(),
                        new OomRiskExample(),
                        new LeakExample(false),
                        new LeakExample(true),
                        new GcPressureExample()));
    }

    /**
     * Finds an example by name.
     *
     * @param name the name a user typed
     * @return the example, or empty if none has that name
     */
    public Optional<Example> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Returns the known names, comma-separated, for messages. */
    public String names() {
        return String.join(", ", byName.keySet());
    }

    @Override
    public Iterator<String> iterator() {
        return byName.keySet().iterator();
    }
}
