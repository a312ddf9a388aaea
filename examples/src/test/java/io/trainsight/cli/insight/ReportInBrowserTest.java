package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.trainsight.cli.CliRun;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html of a real run, opened from {@code file://} in headless Chromium (Debian's {@code
 * chromium}, which .ci/run installs): no console error, every chart drawn, a screenshot that is not
 * blank (kept as {@code target/report-screenshot.png}); and the live dashboard of a run, served
 * over HTTP as {@code train --serve} does, drawing its charts from the same numbers as the run's
 * report. Skipped, saying why, only when no Chromium can be found.
 */
@Tag("browser")
class ReportInBrowserTest {

    private static final long TIMEOUT_SECONDS = 120;

    @TempDir static Path tmp;
    private static Path chromium;
    private static Path report;

    @BeforeAll
    static void aRunAndABrowser() {
        chromium = findChromium();
        if (chromium == null) {
            String reason =
                    "no Chromium found (chromium, chromium-browser or CHROMIUM on PATH); install"
                            + " Debian's chromium package to run the browser test";
            System.out.println("ReportInBrowserTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        Path out = tmp.resolve("run");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "io-bound",
                        "--steps",
                        "40",
                        "--workers",
                        "0",
                        "--out",
                        out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        report = out.resolve("report.html");
    }

    private static Path findChromium() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (String dir :
                System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Runs headless Chromium on the report; returns {stdout, stderr}. */
    private static String[] chromium(String... extra) throws Exception {
        return chromiumOn(report.toUri().toString(), extra);
    }

    /** Runs headless Chromium on a page; returns {stdout, stderr}. */
    private static String[] chromiumOn(String url, String... extra) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--hide-scrollbars",
                                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile"),
                                "--enable-logging=stderr",
                                "--v=0",
                                "--virtual-time-budget=10000"));
        command.addAll(List.of(extra));
        command.add(url);
        Path stdout = Files.createTempFile(tmp, "out", ".txt");
        Path stderr = Files.createTempFile(tmp, "err", ".txt");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Chromium did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new String[] {
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8)
        };
    }

    @Test
    void theReportOpensOfflineWithoutConsoleErrorsAndDrawsEveryChart() throws Exception {
        String[] result = chromium("--dump-dom");
        String dom = result[0];
        String log = result[1];

        assertThat(dom)
                .as("the DOM after the scripts ran")
                .contains("<h1 id=\"title\">trainsight report: io-bound</h1>");
        // time split, GC pauses, live arrays, host CPU, utilisation, memory and loss (no power
        // chart on the host)
        assertThat(dom).contains("data-charts-drawn=\"7\"");
        assertThat(dom).doesNotContain("data-errors=");
        assertThat(dom.split("<canvas", -1).length - 1).as("canvases").isGreaterThanOrEqualTo(7);
        assertThat(dom).contains("highly input-bound on host");
        List<String> console = log.lines().filter(line -> line.contains(":CONSOLE")).toList();
        assertThat(console).as("console messages").isEmpty();
    }

    @Test
    void theScreenshotShowsTheCharts() throws Exception {
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        chromium("--window-size=1280,2000", "--screenshot=" + shot);

        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image).as("a PNG at " + shot).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours: not a blank page").isGreaterThan(50);
        // The run is input-bound, so its finding's steps are shaded light orange on every
        // chart (darker where another warning's steps overlap), and the utilisation line and
        // compute area are blue.
        long band = 0;
        long blue = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                // one warning band, or two stacked (a busy machine adds contention)
                if (r >= 250 && g >= 220 && g <= 246 && b >= 180 && b <= 230) {
                    band++;
                }
                if (b > 180 && r < 170 && g < 190 && b - r > 40) {
                    blue++;
                }
            }
        }
        assertThat(band).as("shaded pixels of the finding's steps").isGreaterThan(10_000);
        assertThat(blue).as("blue pixels of compute and utilisation").isGreaterThan(200);
    }

    /**
     * The largest value of a chart's first line (for the memory chart, the peak in MiB), as the
     * page recorded it once drawn.
     */
    private static double firstMax(String dom, String chart) {
        Matcher matcher =
                Pattern.compile("data-chart=\"" + chart + "\"[^>]*data-first-max=\"([^\"]+)\"")
                        .matcher(dom);
        assertThat(matcher.find()).as(chart + " chart drawn with values in:%n%s", dom).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void theLiveDashboardDrawsTheRunAsItsReportDoes() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("live"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (GpuMonitor monitor = GpuMonitor.builder().build()) {
            RunInsight insight =
                    RunInsight.builder()
                            .setRunDirectory(runDir)
                            .optMonitor(monitor)
                            .optRunName("live")
                            .build();
            long origin = System.nanoTime();
            monitor.start();
            insight.onTrainingBegin(RunStart.at(origin));
            Thread.sleep(1500); // thirty samples of this JVM's resident memory, some hundred MiB
            for (int step = 1; step <= 25; step++) {
                long start = origin + (step - 1) * 50_000_000L;
                insight.onStep(
                        new StepRecord(
                                step,
                                1,
                                start,
                                start + 50_000_000L,
                                1_000_000L,
                                20_000_000L,
                                20_000_000L,
                                9_000_000L,
                                1f / step,
                                32,
                                1,
                                1f,
                                Float.NaN,
                                false));
            }
            server.createContext(
                    "/",
                    exchange -> {
                        String path = exchange.getRequestURI().getPath();
                        String query = exchange.getRequestURI().getQuery();
                        String body =
                                path.equals("/steps")
                                        ? insight.liveJson(
                                                Long.parseLong(query.replace("since=", "")))
                                        : insight.dashboardHtml();
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders()
                                .set(
                                        "Content-Type",
                                        path.equals("/steps")
                                                ? "application/json"
                                                : "text/html; charset=utf-8");
                        exchange.sendResponseHeaders(200, bytes.length);
                        exchange.getResponseBody().write(bytes);
                        exchange.close();
                    });
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";

            String[] live = chromiumOn(url, "--dump-dom");
            insight.finish(StopReason.BUDGET);
            String[] written =
                    chromiumOn(runDir.resolve("report.html").toUri().toString(), "--dump-dom");

            assertThat(live[0]).as("the page polled /steps").contains("data-polls=\"");
            assertThat(live[0]).doesNotContain("data-errors=");
            assertThat(written[0]).doesNotContain("data-errors=");
            double liveMemory = firstMax(live[0], "memory");
            assertThat(liveMemory)
                    .as("this JVM's resident memory, tens of MiB or more, drawn in MiB")
                    .isGreaterThan(20);
            assertThat(liveMemory)
                    .as("the peak the report draws")
                    .isEqualTo(firstMax(written[0], "memory"));
            assertThat(firstMax(live[0], "time")).isEqualTo(firstMax(written[0], "time"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theStallEpisodesAreMarkedOnTheStepTimeChart() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("stalls"));
        RunInsight insight =
                RunInsight.builder()
                        .setRunDirectory(runDir)
                        .optRunName("stalls")
                        .optMonitoring(false)
                        .build();
        insight.onTrainingBegin(RunStart.at(0));
        long start = 0;
        for (int step = 1; step <= 120; step++) {
            long duration = step == 60 || step == 61 || step == 100 ? 400_000_000L : 10_000_000L;
            insight.onStep(
                    new StepRecord(
                            step,
                            1,
                            start,
                            start + duration,
                            100_000L,
                            duration / 2,
                            duration / 3,
                            duration / 6,
                            1f / step,
                            32,
                            1,
                            1f,
                            Float.NaN,
                            false));
            start += duration;
        }
        insight.finish(StopReason.BUDGET);
        assertThat(insight.report().findings())
                .extracting(finding -> finding.kind().label())
                .contains("stall");

        String dom = chromiumOn(runDir.resolve("report.html").toUri().toString(), "--dump-dom")[0];
        assertThat(dom).doesNotContain("data-errors=");
        assertThat(dom)
                .as("two episodes, 60-61 and 100, marked on the step-time chart")
                .containsPattern("data-chart=\"time\"[^>]*data-stall-marks=\"2\"");
    }
}
