package io.trainsight.cli.train;

import java.nio.file.Path;

/**
 * A second process for the lock tests: takes the lock of the run directory given as its argument,
 * prints {@code locked}, and holds it until its standard input closes (or it is killed).
 */
public final class LockHolder {

    private LockHolder() {}

    /**
     * Holds the lock.
     *
     * @param args the run directory
     * @throws Exception if the lock cannot be taken
     */
    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes the pipe
            }
        }
    }

    /**
     * Starts a holder in a child JVM on this JVM's class path and waits until it holds the lock.
     *
     * @param runDir the run directory
     * @return the child process
     * @throws Exception if it does not report the lock
     */
    static Process start(Path runDir) throws Exception {
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                LockHolder.class.getName(),
                                runDir.toString())
                        .redirectErrorStream(true)
                        .start();
        String line =
                new java.io.BufferedReader(
                                new java.io.InputStreamReader(
                                        child.getInputStream(),
                                        java.nio.charset.StandardCharsets.UTF_8))
                        .readLine();
        if (!"locked".equals(line)) {
            child.destroyForcibly();
            throw new IllegalStateException("the lock holder did not start: " + line);
        }
        return child;
    }
}
