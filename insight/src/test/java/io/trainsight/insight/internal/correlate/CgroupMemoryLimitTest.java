package io.trainsight.insight.internal.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup memory limit on fixtures laid out as a container or a host sees {@code
 * /sys/fs/cgroup}, {@code /proc/self/cgroup} and {@code /proc/meminfo}.
 */
class CgroupMemoryLimitTest {

    private static final long GIB = 1L << 30;
    private static final String HOST_24_GIB = "MemTotal:       25165824 kB\nMemFree: 1 kB\n";

    @TempDir Path tmp;

    private Path root() {
        return tmp.resolve("sys/fs/cgroup");
    }

    private void write(String relative, String text) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Optional<MemoryLimit> read() {
        return CgroupMemoryLimit.read(
                root(), tmp.resolve("proc/self/cgroup"), tmp.resolve("proc/meminfo"));
    }

    /**
     * Docker or Kubernetes on cgroup v2 with a namespace: the container's cgroup is the root. Java
     * 17 reports this limit as the machine's total memory, which is why the limit must be measured
     * against MemTotal, not against what the JVM says.
     */
    @Test
    void aV2ContainerLimitIsKept() throws IOException {
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
        write("sys/fs/cgroup/memory.max", "2147483648\n");
        write("proc/self/cgroup", "0::/\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).contains(new MemoryLimit(2 * GIB, "cgroup memory.max"));
    }

    @Test
    void v2WithoutALimitSaysMaxAndGivesNone() throws IOException {
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        write("sys/fs/cgroup/memory.max", "max\n");
        write("proc/self/cgroup", "0::/\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).isEmpty();
    }

    /** A host (systemd): the process's own cgroup is unlimited, a parent slice is not. */
    @Test
    void theSmallestLimitOfTheCgroupAndItsAncestorsCounts() throws IOException {
        write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        write("sys/fs/cgroup/user.slice/memory.max", "8589934592\n");
        write("sys/fs/cgroup/user.slice/job.scope/memory.max", "max\n");
        write("sys/fs/cgroup/user.slice/job.scope/inner/memory.max", "12884901888\n");
        write("proc/self/cgroup", "0::/user.slice/job.scope/inner\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).contains(new MemoryLimit(8 * GIB, "cgroup memory.max"));
    }

    /**
     * Docker on cgroup v1 without a cgroup namespace: /proc/self/cgroup names the host's path,
     * which does not exist in the container; the memory controller's mount holds the container's
     * limit.
     */
    @Test
    void aV1ContainerLimitIsReadAtTheMountWhenTheHostPathIsNotThere() throws IOException {
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n");
        write("sys/fs/cgroup/cpu/cpu.shares", "1024\n");
        write(
                "proc/self/cgroup",
                "12:pids:/docker/abc\n5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).contains(new MemoryLimit(512L << 20, "cgroup memory.limit_in_bytes"));
    }

    /** This machine's layout: v1 memory controller, no limit (the largest page-aligned long). */
    @Test
    void v1UnlimitedIsNone() throws IOException {
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write(
                "sys/fs/cgroup/memory/process_api/8a37/memory.limit_in_bytes",
                "9223372036854771712\n");
        write("sys/fs/cgroup/unified/cgroup.controllers", "");
        write("proc/self/cgroup", "4:memory:/process_api/8a37\n0::/\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).isEmpty();
    }

    @Test
    void aLimitAtOrAboveTheMachinesMemoryIsNoLimit() throws IOException {
        write("sys/fs/cgroup/cgroup.controllers", "memory\n");
        write("sys/fs/cgroup/memory.max", Long.toString(24 * GIB));
        write("proc/self/cgroup", "0::/\n");
        write("proc/meminfo", HOST_24_GIB);

        assertThat(read()).isEmpty();
    }

    @Test
    void noCgroupFilesGiveNone() {
        assertThat(read()).isEmpty();
    }

    @Test
    void parsesTheFilesFormats() {
        assertThat(CgroupMemoryLimit.limit("1073741824\n")).hasValue(GIB);
        assertThat(CgroupMemoryLimit.limit("max\n")).isEmpty();
        assertThat(CgroupMemoryLimit.limit("9223372036854771712")).isEmpty();
        assertThat(CgroupMemoryLimit.limit("99999999999999999999")).isEmpty();
        assertThat(CgroupMemoryLimit.limit("")).isEmpty();
        assertThat(CgroupMemoryLimit.limit(null)).isEmpty();
        assertThat(CgroupMemoryLimit.memTotal(HOST_24_GIB)).isEqualTo(24 * GIB);
        assertThat(CgroupMemoryLimit.memTotal("MemFree: 1 kB\n")).isEqualTo(-1);
        assertThat(CgroupMemoryLimit.unifiedPath("1:name=systemd:/x\n0::/kubepods/pod1/c2\n"))
                .isEqualTo("/kubepods/pod1/c2");
        assertThat(CgroupMemoryLimit.memoryPath("5:cpu,cpuacct:/a\n4:blkio,memory:/b/c\n0::/\n"))
                .isEqualTo("/b/c");
        assertThat(CgroupMemoryLimit.memoryPath("0::/\n")).isEqualTo("/");
    }
}
