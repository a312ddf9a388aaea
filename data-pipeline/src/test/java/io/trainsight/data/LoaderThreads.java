package io.trainsight.data;

import java.util.List;
import java.util.stream.Collectors;

/** Looks up the loader's threads among the JVM's live threads. */
final class LoaderThreads {

    private LoaderThreads() {}

    static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("trainsight-loader-"))
                .collect(Collectors.toList());
    }
}
