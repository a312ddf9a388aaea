package io.trainsight.cli.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The reference the GPU tests compare with: {@code nvidia-smi}, found on the PATH. */
final class NvidiaSmi {

    private NvidiaSmi() {}

    /** The nvidia-smi on the PATH, or empty. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nvidia-smi");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs nvidia-smi; its output, or empty when it fails (no driver, no GPU). */
    static Optional<String> run(String... args) {
        Optional<Path> smi = find();
        if (smi.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(smi.get().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Queries every GPU: {@code --query-gpu=FIELDS --format=csv,noheader,nounits}.
     *
     * @param fields the fields, {@code uuid} first
     * @return by UUID, each field's value (null for {@code [N/A]} and the like)
     */
    static Map<String, Map<String, Double>> query(List<String> fields) {
        Map<String, Map<String, Double>> byUuid = new LinkedHashMap<>();
        String out =
                run("--query-gpu=" + String.join(",", fields), "--format=csv,noheader,nounits")
                        .orElse("");
        for (String line : out.strip().lines().toList()) {
            String[] cells = line.split(",\\s*");
            if (cells.length != fields.size()) {
                continue;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 1; i < cells.length; i++) {
                values.put(fields.get(i), number(cells[i]));
            }
            byUuid.put(cells[0].strip(), values);
        }
        return byUuid;
    }

    /**
     * The compute processes now: PID to {@code [gpu uuid, used MiB]}.
     *
     * @return the processes
     */
    static Map<Long, String[]> computeApps() {
        Map<Long, String[]> apps = new LinkedHashMap<>();
        String out =
                run(
                                "--query-compute-apps=pid,gpu_uuid,used_memory",
                                "--format=csv,noheader,nounits")
                        .orElse("");
        for (String line : out.strip().lines().toList()) {
            String[] cells = line.split(",\\s*");
            if (cells.length == 3 && cells[0].strip().matches("\\d+")) {
                apps.put(Long.parseLong(cells[0].strip()), new String[] {cells[1], cells[2]});
            }
        }
        return apps;
    }

    private static Double number(String cell) {
        try {
            return Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
