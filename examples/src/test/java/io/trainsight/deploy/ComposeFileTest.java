package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml and what it mounts: pinned images, the trainer served on 0.0.0.0 with the
 * token from a secret, Prometheus scraping it with the same secret, Grafana provisioned.
 */
class ComposeFileTest {

    private final JsonNode compose = Repo.yaml(Repo.DOCKER.resolve("compose.yaml"));
    private final JsonNode services = compose.path("services");
    private final JsonNode trainer = services.path("trainer");

    @Test
    void everyImageIsPinnedToAVersion() {
        assertThat(services.size()).isEqualTo(3);
        services.fields()
                .forEachRemaining(
                        service ->
                                assertThat(service.getValue().path("image").asText())
                                        .as("the image of %s", service.getKey())
                                        .matches("[^:\\s]+:[^:\\s]*\\d[^:\\s]*")
                                        .doesNotEndWith(":latest"));
    }

    @Test
    void theTrainerIsBuiltFromTheDockerfileAndGetsAGpu() {
        JsonNode build = trainer.path("build");
        Path context = Repo.DOCKER.resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(Repo.ROOT);
        assertThat(context.resolve(build.path("dockerfile").asText()))
                .isEqualTo(DockerfileTest.FILE);
        JsonNode device = trainer.at("/deploy/resources/reservations/devices/0");
        assertThat(texts(device.path("capabilities"))).contains("gpu");
        assertThat(texts(trainer.path("volumes")))
                .anyMatch(v -> v.endsWith(":/workspace"))
                .as("a named volume holds the workspace");
    }

    @Test
    void theTrainerServesOnAllAddressesWithTheTokenFromASecret() {
        List<String> command = texts(trainer.path("command"));
        assertThat(command).contains("train", "--serve");
        assertThat(valueAfter(command, "--bind")).isEqualTo("0.0.0.0");
        String port = valueAfter(command, "--port");
        assertThat(texts(trainer.path("ports"))).contains("127.0.0.1:" + port + ":" + port);

        String secret = tokenSecret(trainer);
        assertThat(trainer.path("environment").path("TRAINSIGHT_TOKEN_FILE").asText())
                .isEqualTo("/run/secrets/" + secret);
        assertThat(trainer.path("environment").has("TRAINSIGHT_TOKEN"))
                .as("no token in the compose file itself")
                .isFalse();
        String file = compose.path("secrets").path(secret).path("file").asText();
        assertThat(Repo.DOCKER.resolve(file).normalize().getParent())
                .as("the token file lives in a folder git ignores")
                .isEqualTo(Repo.DOCKER.resolve("secrets"));
        assertThat(Repo.text(Repo.DOCKER.resolve("secrets/.gitignore")).lines()).contains("*");
    }

    @Test
    void prometheusScrapesTheTrainerWithTheSameToken() {
        JsonNode prometheus = services.path("prometheus");
        String configPath = valueAfterEquals(texts(prometheus.path("command")), "--config.file");
        Path config = mountedFile(prometheus, configPath);
        JsonNode job = Repo.yaml(config).path("scrape_configs").get(0);

        assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        assertThat(job.path("authorization").path("credentials_file").asText())
                .isEqualTo("/run/secrets/" + tokenSecret(prometheus))
                .isEqualTo(trainer.path("environment").path("TRAINSIGHT_TOKEN_FILE").asText());
        String port = valueAfter(texts(trainer.path("command")), "--port");
        assertThat(texts(job.at("/static_configs/0/targets"))).containsExactly("trainer:" + port);
        assertThat(job.at("/static_configs/0/labels/run").asText())
                .as("the run label")
                .isNotBlank();
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboard() {
        JsonNode grafana = services.path("grafana");
        Path provisioning = mountedDirectory(grafana, "/etc/grafana/provisioning");
        JsonNode datasource =
                Repo.yaml(provisioning.resolve("datasources/prometheus.yaml"))
                        .path("datasources")
                        .get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(services.has("prometheus")).isTrue();

        JsonNode provider =
                Repo.yaml(provisioning.resolve("dashboards/trainsight.yaml"))
                        .path("providers")
                        .get(0);
        Path dashboards = mountedDirectory(grafana, provider.path("options").path("path").asText());
        assertThat(dashboards.resolve("trainsight.json")).isEqualTo(GrafanaDashboardTest.FILE);
        assertThat(
                        grafana.path("environment")
                                .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                                .asText())
                .isEqualTo(provider.path("options").path("path").asText() + "/trainsight.json");
    }

    /** The one secret a service mounts, declared at the top level from a file. */
    private String tokenSecret(JsonNode service) {
        List<String> secrets = texts(service.path("secrets"));
        assertThat(secrets).hasSize(1);
        assertThat(compose.path("secrets").path(secrets.get(0)).has("file")).isTrue();
        return secrets.get(0);
    }

    /** The file of docker/ a service mounts at a path. */
    private static Path mountedFile(JsonNode service, String target) {
        for (String volume : texts(service.path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(target) && parts[0].startsWith(".")) {
                Path source = Repo.DOCKER.resolve(parts[0]).normalize();
                assertThat(source).as(volume).exists();
                return source;
            }
        }
        throw new AssertionError("nothing of docker/ is mounted at " + target);
    }

    private static Path mountedDirectory(JsonNode service, String target) {
        Path dir = mountedFile(service, target);
        assertThat(dir).isDirectory();
        return dir;
    }

    private static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static String valueAfterEquals(List<String> args, String option) {
        return args.stream()
                .filter(a -> a.startsWith(option + "="))
                .map(a -> a.substring(option.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + option + "= in " + args));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
