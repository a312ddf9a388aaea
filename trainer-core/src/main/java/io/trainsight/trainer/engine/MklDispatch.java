package io.trainsight.trainer.engine;

import io.trainsight.trainer.internal.mkl.MklStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether MKL, the library that computes libtorch's matrix products on x86-64 CPUs, runs the code
 * paths this CPU's instruction sets allow.
 *
 * <p>MKL chooses its code path (SSE, AVX2, AVX-512) by the CPU's instruction sets only on Intel's
 * CPUs; on AMD's (EPYC, Ryzen) and Hygon's it takes a generic path, whatever the CPU can do, and
 * its products run several times slower than they could (on this project's AVX-512 AMD EPYC, 2 to 5
 * times: {@code docs/benchmarks.md}). MKL decides by asking one function of its own, {@code
 * mkl_serv_intel_cpu_true}; the common remedy is to preload a library that defines it to answer
 * yes. trainsight does the same without a compiler or {@code LD_PRELOAD}: on an AMD or Hygon x86-64
 * CPU it loads such a stub before libtorch starts, and MKL then picks its path by the instruction
 * sets. The products are the same computation; their rounding can differ in the last bits, as
 * between any two code paths.
 *
 * <p>It happens when DJL's engine first starts (trainer-core registers a hook for that), and when
 * the CLI or a {@code TrainingLoop} starts, whichever comes first. Once libtorch has started it is
 * too late: MKL has chosen, and {@link #describe()} says so with what to do. {@code
 * -Dtrainsight.mkl-fast-paths=off} leaves MKL to choose as it does without trainsight.
 */
public final class MklDispatch {

    /** The system property: {@code auto} (the default) or {@code off}. */
    public static final String PROPERTY = "trainsight.mkl-fast-paths";

    private static final Logger logger = LoggerFactory.getLogger(MklDispatch.class);

    /** What happened. */
    public enum State {
        /** The stub is loaded: MKL picks its path by the CPU's instruction sets. */
        ON,
        /** Nothing to do: an Intel CPU, a CPU without MKL (not x86-64), or not Linux. */
        NOT_NEEDED,
        /** Turned off by {@value #PROPERTY}. */
        OFF,
        /** libtorch had started before trainsight could load the stub. */
        TOO_LATE,
        /** The stub could not be loaded; the reason is in {@link #describe()}. */
        FAILED
    }

    private static final String LABEL = "MKL: ";

    /** The branch MKL reports for its path on a CPU it does not take for Intel's. */
    private static final int GENERIC = 2;

    private static MklDispatch decided;

    private final State state;
    private final String cpu;
    private final String reason;

    private MklDispatch(State state, String cpu, String reason) {
        this.state = state;
        this.cpu = cpu;
        this.reason = reason;
    }

    /**
     * Loads the stub when this process runs on an AMD or Hygon x86-64 CPU and libtorch has not
     * started yet; decides once per process, later calls return the first decision.
     *
     * @return the decision
     */
    public static synchronized MklDispatch beforeEngineStart() {
        if (decided == null) {
            decided = decide();
            logger.debug("MKL dispatch: {} ({})", decided.state, decided.reason);
        }
        return decided;
    }

    private static MklDispatch decide() {
        String vendor = cpuVendor();
        MklDispatch plan =
                plan(
                        System.getProperty("os.name", ""),
                        System.getProperty("os.arch", ""),
                        vendor,
                        System.getProperty(PROPERTY),
                        MklStub.loadedLibtorch().isPresent());
        if (plan.state != State.ON) {
            return plan;
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            MklStub.load(directory);
            return plan;
        } catch (IllegalStateException | LinkageError e) {
            return new MklDispatch(State.FAILED, vendor, e.getMessage());
        }
    }

    /**
     * What to do, before anything is loaded.
     *
     * @param os {@code os.name}
     * @param arch {@code os.arch}
     * @param vendor the CPU's vendor string ({@code AuthenticAMD}), or empty when unknown
     * @param property the value of {@value #PROPERTY}, or null
     * @param libtorchLoaded whether libtorch's CPU library is loaded already
     * @return the plan: {@link State#ON} means "load the stub"
     */
    static MklDispatch plan(
            String os, String arch, String vendor, String property, boolean libtorchLoaded) {
        String cpu = vendor.isEmpty() ? "unknown" : vendor;
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return new MklDispatch(State.NOT_NEEDED, cpu, "no MKL on " + os + " " + arch);
        }
        if (!vendor.equals("AuthenticAMD") && !vendor.equals("HygonGenuine")) {
            return new MklDispatch(
                    State.NOT_NEEDED, cpu, "MKL chooses by instruction sets on this CPU itself");
        }
        String setting = property == null ? "auto" : property.strip().toLowerCase(Locale.ROOT);
        if (setting.equals("off") || setting.equals("false")) {
            return new MklDispatch(State.OFF, cpu, "-D" + PROPERTY + "=" + property);
        }
        if (!setting.equals("auto") && !setting.equals("on") && !setting.equals("true")) {
            logger.warn(
                    "-D{}={}: expected auto or off; MKL is left to choose its code path",
                    PROPERTY,
                    property);
            return new MklDispatch(State.OFF, cpu, "-D" + PROPERTY + "=" + property + " (invalid)");
        }
        if (libtorchLoaded) {
            return new MklDispatch(
                    State.TOO_LATE, cpu, "libtorch had started before trainsight could choose");
        }
        return new MklDispatch(
                State.ON, cpu, "a stub answers MKL's question whether the CPU is Intel's");
    }

    /** Returns the CPU's vendor string from {@code /proc/cpuinfo}, or empty. */
    private static String cpuVendor() {
        try {
            return vendorIn(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Returns the vendor named by the first {@code vendor_id} line of {@code /proc/cpuinfo}.
     *
     * @param cpuinfo its lines
     * @return the vendor, or empty
     */
    static String vendorIn(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("vendor_id")) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    /** Returns what happened. */
    public State state() {
        return state;
    }

    /**
     * Returns one line saying which code path MKL runs and why; once libtorch has started it names
     * MKL's code branch as well.
     *
     * @return the line
     */
    public String describe() {
        return LABEL + unlabelled();
    }

    /**
     * Returns the line of {@link #describe()} without its {@code MKL: } label, for a field that
     * names MKL itself ({@code summary.json}'s {@code mkl}, {@code trainsight doctor}'s).
     *
     * @return the line's text
     */
    public String unlabelled() {
        if (state == State.NOT_NEEDED) {
            return unlabelled(OptionalInt.empty(), true);
        }
        Optional<String> libtorch = MklStub.loadedLibtorch();
        return unlabelled(
                libtorch.map(MklStub::codeBranch).orElse(OptionalInt.empty()),
                libtorch.isPresent());
    }

    /**
     * The line of {@link #describe()} for what libtorch says.
     *
     * @param branch MKL's code branch, empty when libtorch is not loaded or has no MKL
     * @param libtorchLoaded whether libtorch is loaded
     * @return the line
     */
    String describe(OptionalInt branch, boolean libtorchLoaded) {
        return LABEL + unlabelled(branch, libtorchLoaded);
    }

    private String unlabelled(OptionalInt branch, boolean libtorchLoaded) {
        if (state == State.NOT_NEEDED) {
            return "left to choose its code path (" + reason + ")";
        }
        if (branch.isEmpty()) {
            return libtorchLoaded
                    ? "none in this libtorch, nothing to choose (" + cpu + " CPU)"
                    : state + " (" + reason + "); libtorch has not started yet";
        }
        String path = "its " + branchName(branch.getAsInt()) + " code path";
        return switch (state) {
            case ON ->
                    branch.getAsInt() == GENERIC
                            ? String.format(
                                    "%s on this %s CPU, although trainsight loaded its stub:"
                                            + " this libtorch's MKL does not ask it",
                                    path, cpu)
                            : String.format(
                                    "%s, chosen by this %s CPU's instruction sets (on a CPU not"
                                            + " Intel's MKL picks its generic path itself; -D%s=off"
                                            + " keeps that)",
                                    path, cpu, PROPERTY);
            case OFF -> String.format("%s, its own choice on this %s CPU (%s)", path, cpu, reason);
            case TOO_LATE ->
                    String.format(
                            "%s, its own choice on this %s CPU: %s; call"
                                    + " MklDispatch.beforeEngineStart() before the first NDManager"
                                    + " for the paths of the CPU's instruction sets",
                            path, cpu, reason);
            case FAILED ->
                    String.format(
                            "%s, its own choice on this %s CPU: trainsight could not load its"
                                    + " stub: %s",
                            path, cpu, reason);
            case NOT_NEEDED -> throw new AssertionError(state);
        };
    }

    /**
     * Names one of MKL's code branches ({@code MKL_CBWR_*}).
     *
     * @param branch the number
     * @return its name
     */
    static String branchName(int branch) {
        return switch (branch) {
            case GENERIC -> "generic";
            case 3 -> "compatible";
            case 4 -> "SSE2";
            case 6 -> "SSSE3";
            case 7 -> "SSE4.1";
            case 8 -> "SSE4.2";
            case 9 -> "AVX";
            case 10 -> "AVX2";
            case 12 -> "AVX-512";
            case 14 -> "AVX-512 (E1)";
            default -> "number " + branch;
        };
    }
}
