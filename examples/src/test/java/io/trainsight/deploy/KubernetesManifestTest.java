package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of docker/k8s, parsed and checked against each other and against the
 * image: no cluster is needed (kubectl's client-side dry run still asks a server for the API
 * groups, so it cannot run offline).
 */
class KubernetesManifestTest {

    private static final Path K8S = Repo.DOCKER.resolve("k8s");

    private final Map<String, JsonNode> trainer =
            byKind(Repo.text(K8S.resolve("trainer/trainer.yaml")));
    private final JsonNode job = trainer.get("Job");
    private final JsonNode pod = job.path("spec").path("template");
    private final JsonNode container = pod.path("spec").path("containers").get(0);
    private final JsonNode service = trainer.get("Service");
    private final JsonNode secret = Repo.yaml(K8S.resolve("token-secret.example.yaml"));
    private final Dockerfile dockerfile = Dockerfile.parse(Repo.text(DockerfileTest.FILE));
    private final Map<String, String> imageEnv = dockerfile.env(dockerfile.finalStage());

    @Test
    void theJobRequestsAGpuAndRunsAsTheImagesUserOnAReadOnlyRoot() {
        assertThat(job.path("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(pod.path("spec").path("restartPolicy").asText()).isIn("Never", "OnFailure");
        assertThat(container.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        String imageUser =
                dockerfile.last(dockerfile.finalStage(), "USER").orElseThrow().arguments();
        JsonNode security = pod.path("spec").path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText())
                .as("the image's USER")
                .isEqualTo(imageUser);
        assertThat(security.path("fsGroup").asText())
                .isEqualTo(security.path("runAsGroup").asText());
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                .isFalse();
        assertThat(container.path("image").asText()).matches("[^:\\s]+:[^:\\s]*\\d[^:\\s]*");
    }

    @Test
    void theWorkspaceIsAVolumeAndTmpAnEmptyDir() {
        String workspace =
                dockerfile.last(dockerfile.finalStage(), "VOLUME").orElseThrow().arguments();
        JsonNode volume = volume(mountAt(workspace).path("name").asText());
        String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
        assertThat(claim)
                .as("the workspace's claim")
                .isEqualTo(trainer.get("PersistentVolumeClaim").at("/metadata/name").asText());
        assertThat(volume(mountAt("/tmp").path("name").asText()).has("emptyDir")).isTrue();
        assertThat(args()).contains("--out").anyMatch(a -> a.startsWith(workspace + "/"));
    }

    @Test
    void theTrainerServesOnAllAddressesWithTheTokenFromTheSecret() {
        List<String> args = args();
        assertThat(args).contains("train", "--serve");
        assertThat(valueAfter(args, "--bind")).isEqualTo("0.0.0.0");
        assertThat(valueAfter(args, "--port"))
                .isEqualTo(container.at("/ports/0/containerPort").asText());

        Map<String, String> env = env();
        assertThat(env).doesNotContainKey("TRAINSIGHT_TOKEN");
        Path tokenFile = Path.of(env.get("TRAINSIGHT_TOKEN_FILE"));
        JsonNode mount = mountAt(tokenFile.getParent().toString());
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        JsonNode source = volume(mount.path("name").asText()).path("secret");
        assertThat(source.path("secretName").asText())
                .isEqualTo(secret.at("/metadata/name").asText());
        JsonNode item = source.path("items").get(0);
        assertThat(item.path("path").asText()).isEqualTo(tokenFile.getFileName().toString());
        assertThat(secret.path("stringData").has(item.path("key").asText()))
                .as("the example Secret has the key %s", item.path("key"))
                .isTrue();
    }

    @Test
    void theProbesRunTheImagesHealthcheckOnTheServedPort() {
        String healthcheck =
                dockerfile.last(dockerfile.finalStage(), "HEALTHCHECK").orElseThrow().arguments();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            List<String> command = texts(container.path(probe).path("exec").path("command"));
            assertThat(command).as(probe).hasSize(1);
            assertThat(healthcheck)
                    .as("%s runs the image's HEALTHCHECK", probe)
                    .contains("\"" + command.get(0) + "\"");
        }
        String port = env().getOrDefault("TRAINSIGHT_PORT", imageEnv.get("TRAINSIGHT_PORT"));
        assertThat(port)
                .as("the port the healthcheck asks")
                .isEqualTo(valueAfter(args(), "--port"));
    }

    @Test
    void theServiceSelectsTheJobsPodsOnTheMetricsPort() {
        JsonNode labels = pod.path("metadata").path("labels");
        service.at("/spec/selector")
                .fields()
                .forEachRemaining(
                        s ->
                                assertThat(labels.path(s.getKey()).asText())
                                        .as(s.getKey())
                                        .isEqualTo(s.getValue().asText()));
        JsonNode port = service.at("/spec/ports/0");
        assertThat(port.path("targetPort").asText())
                .isEqualTo(container.at("/ports/0/name").asText());
        assertThat(service.at("/metadata/annotations/prometheus.io~1port").asText())
                .isEqualTo(container.at("/ports/0/containerPort").asText());
        assertThat(service.at("/metadata/labels/trainsight.io~1run").asText())
                .as("the run label Prometheus copies")
                .isEqualTo(labels.path("trainsight.io/run").asText());
    }

    @Test
    void theServiceMonitorScrapesTheServicesWithTheToken() {
        JsonNode monitor = Repo.yaml(K8S.resolve("servicemonitor.yaml"));
        monitor.at("/spec/selector/matchLabels")
                .fields()
                .forEachRemaining(
                        s ->
                                assertThat(service.at("/metadata/labels").path(s.getKey()).asText())
                                        .isEqualTo(s.getValue().asText()));
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.path("port").asText())
                .isEqualTo(service.at("/spec/ports/0/name").asText());
        assertThat(endpoint.at("/authorization/credentials/name").asText())
                .isEqualTo(secret.at("/metadata/name").asText());
        assertThat(
                        secret.path("stringData")
                                .has(endpoint.at("/authorization/credentials/key").asText()))
                .isTrue();
        assertThat(endpoint.at("/relabelings/0/sourceLabels/0").asText())
                .isEqualTo("__meta_kubernetes_service_label_trainsight_io_run");
        assertThat(endpoint.at("/relabelings/0/targetLabel").asText()).isEqualTo("run");
    }

    @Test
    void thePlainPrometheusConfigKeepsTheTrainsightServices() {
        JsonNode job = Repo.yaml(K8S.resolve("prometheus.yml")).path("scrape_configs").get(0);
        List<String> kept = new ArrayList<>();
        String runLabel = null;
        for (JsonNode relabel : job.path("relabel_configs")) {
            String from = relabel.at("/source_labels/0").asText();
            if (relabel.path("action").asText().equals("keep")) {
                kept.add(from + "=" + relabel.path("regex").asText());
            }
            if (relabel.path("target_label").asText().equals("run")) {
                runLabel = from;
            }
        }
        assertThat(kept)
                .contains(
                        "__meta_kubernetes_service_label_app_kubernetes_io_name="
                                + service.at("/metadata/labels/app.kubernetes.io~1name").asText(),
                        "__meta_kubernetes_service_annotation_prometheus_io_scrape="
                                + service.at("/metadata/annotations/prometheus.io~1scrape")
                                        .asText());
        assertThat(runLabel).isEqualTo("__meta_kubernetes_service_label_trainsight_io_run");
        assertThat(job.at("/authorization/credentials_file").asText())
                .startsWith("/etc/prometheus/secrets/");
    }

    /** kubectl kustomize (client side, offline) renders the second run beside the first. */
    @Test
    void aSecondRunRendersBesideTheFirstWithItsOwnNamesAndLabel() throws Exception {
        Path kubectl =
                Commands.require(
                        "kubectl", "the kustomize rendering of docker/k8s/run-2 is skipped");
        Map<String, JsonNode> first = byKind(kustomize(kubectl, K8S.resolve("trainer")));
        Map<String, JsonNode> second = byKind(kustomize(kubectl, K8S.resolve("run-2")));

        for (String kind : List.of("PersistentVolumeClaim", "Job", "Service")) {
            assertThat(second.get(kind).at("/metadata/name").asText())
                    .as(kind)
                    .isNotEqualTo(first.get(kind).at("/metadata/name").asText());
        }
        JsonNode secondPod = second.get("Job").at("/spec/template");
        assertThat(secondPod.at("/metadata/labels/trainsight.io~1run").asText()).isEqualTo("run-2");
        assertThat(second.get("Service").at("/spec/selector/trainsight.io~1run").asText())
                .isEqualTo("run-2");
        assertThat(second.get("Service").at("/metadata/labels/trainsight.io~1run").asText())
                .isEqualTo("run-2");
        assertThat(secondPod.at("/spec/volumes").findValuesAsText("claimName"))
                .containsExactly(second.get("PersistentVolumeClaim").at("/metadata/name").asText());
        assertThat(secondPod.at("/spec/volumes").findValuesAsText("secretName"))
                .as("the runs share the token Secret")
                .containsExactly(secret.at("/metadata/name").asText());
    }

    private List<String> args() {
        return texts(container.path("args"));
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    private JsonNode mountAt(String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError("nothing is mounted at " + path);
    }

    private JsonNode volume(String name) {
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("the pod has no volume " + name);
    }

    private static Map<String, JsonNode> byKind(String yaml) {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        for (JsonNode document : Repo.yamlDocuments(yaml)) {
            assertThat(document.at("/metadata/name").asText()).as("a name").isNotBlank();
            assertThat(byKind.put(document.path("kind").asText(), document))
                    .as("one %s", document.path("kind"))
                    .isNull();
        }
        return byKind;
    }

    private static String kustomize(Path kubectl, Path dir) throws Exception {
        Commands.Result result =
                Commands.run(
                        List.of(kubectl.toString(), "kustomize", dir.toString()),
                        null,
                        Duration.ofSeconds(60));
        assertThat(result.exitCode()).as("kubectl kustomize %s: %s", dir, result.err()).isZero();
        return result.out();
    }

    private static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
