package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.trainsight.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check config} on the Prometheus configurations of docker/: the compose stack's
 * and the in-cluster one. {@code --syntax-only}: the token files they name exist only in the
 * containers.
 */
class PrometheusConfigTest {

    @TempDir Path tmp;

    @Test
    void theComposeStacksConfigPassesPromtool() throws Exception {
        Path promtool = Promtool.require();
        Path config = Repo.DOCKER.resolve("prometheus/prometheus.yml");

        Commands.Result result = check(promtool, config);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /**
     * Debian's promtool is built without Kubernetes service discovery; there the discovery block is
     * swapped for a static target and everything else (authorization, relabelling) is checked.
     */
    @Test
    void theInClusterConfigPassesPromtool() throws Exception {
        Path promtool = Promtool.require();
        Path config = Repo.DOCKER.resolve("k8s/prometheus.yml");

        Commands.Result result = check(promtool, config);
        if (result.exitCode() != 0
                && result.output().contains("field kubernetes_sd_configs not found")) {
            System.out.println(
                    "promtool has no Kubernetes service discovery (Debian's build): checking "
                            + config
                            + " with kubernetes_sd_configs replaced by a static target");
            result = check(promtool, withStaticTargets(config));
        }

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    private static Commands.Result check(Path promtool, Path config) throws Exception {
        return Promtool.run(promtool, "check", "config", "--syntax-only", config.toString());
    }

    private Path withStaticTargets(Path config) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode root = yaml.readTree(config.toFile());
        for (JsonNode job : root.path("scrape_configs")) {
            ObjectNode scrape = (ObjectNode) job;
            if (scrape.remove("kubernetes_sd_configs") != null) {
                scrape.putArray("static_configs")
                        .addObject()
                        .putArray("targets")
                        .add("trainsight:9400");
            }
        }
        Path copy = tmp.resolve("prometheus-static.yml");
        Files.writeString(copy, yaml.writeValueAsString(root));
        return copy;
    }
}
