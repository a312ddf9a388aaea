package io.trainsight.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The libraries' public API is a decision, not an accident: the public types of gpu-monitor,
 * data-pipeline, insight and trainer-core outside their {@code internal} packages are exactly the
 * ones listed in {@code architecture/public-api.txt}. A type that becomes public fails this test
 * until it is listed there (it is then API: builders, records, listeners, findings, the monitor) or
 * moved to an {@code internal} package or made package-private.
 */
class PublicApiTest {

    private static final List<String> LIBRARIES =
            List.of(
                    "io.trainsight.gpu",
                    "io.trainsight.data",
                    "io.trainsight.insight",
                    "io.trainsight.trainer");

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("-tests.jar"))
                    .importPackages(LIBRARIES);

    @Test
    void thePublicTypesOutsideTheInternalPackagesAreTheListedApi() throws IOException {
        Set<String> api = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            if (isApi(type)) {
                api.add(type.getName());
            }
        }
        assertThat(api)
                .as("the libraries' classes were found")
                .contains(
                        "io.trainsight.gpu.GpuMonitor",
                        "io.trainsight.data.DataLoader",
                        "io.trainsight.insight.RunInsight",
                        "io.trainsight.trainer.TrainingLoop");
        Set<String> listed = listed();
        List<String> unlisted = new ArrayList<>(api);
        unlisted.removeAll(listed);
        List<String> gone = new ArrayList<>(listed);
        gone.removeAll(api);
        assertThat(unlisted)
                .as(
                        "public types not in architecture/public-api.txt: list them there if users"
                                + " name them in code, else make them package-private or move"
                                + " them to an internal package")
                .isEmpty();
        assertThat(gone)
                .as("listed in architecture/public-api.txt but no longer public API")
                .isEmpty();
    }

    @Test
    void everyInternalPackageSaysItIsNotApi() {
        Set<String> internal = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            if (type.getPackageName().contains(".internal")) {
                internal.add(type.getPackageName());
            }
        }
        assertThat(internal).isNotEmpty();
        for (String pkg : internal) {
            assertThat(CLASSES.getPackage(pkg).tryGetPackageInfo())
                    .as(pkg + " has a package-info saying it is not API")
                    .isPresent();
        }
    }

    private static boolean isApi(JavaClass type) {
        if (type.getPackageName().contains(".internal")
                || type.getSimpleName().equals("package-info")
                || type.isAnonymousClass()
                || type.isLocalClass()
                || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        // A nested type is API only when every enclosing type is.
        return type.getEnclosingClass().map(PublicApiTest::isApi).orElse(true);
    }

    private static Set<String> listed() throws IOException {
        try (InputStream in =
                PublicApiTest.class.getResourceAsStream("/architecture/public-api.txt")) {
            assertThat(in).as("architecture/public-api.txt on the test class path").isNotNull();
            Set<String> names = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        }
    }
}
