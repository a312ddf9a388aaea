package io.trainsight.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the design promises, checked on the compiled classes of every module: the
 * dependencies point one way ({@code trainer} → {@code insight} → {@code gpu}, {@code trainer} →
 * {@code data}), the monitor knows nothing of DJL, native bindings stay in their packages, and the
 * libraries log through SLF4J only.
 */
class ModuleBoundariesTest {

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.trainsight");

    @Test
    void jnaIsUsedOnlyByTheNativeBindings() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.trainsight.gpu.internal.nvml..",
                        "io.trainsight.gpu.internal.cuda..",
                        "io.trainsight.trainer.internal.glibc..",
                        "io.trainsight.trainer.internal.mkl..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.sun.jna..")
                .because("JNA types stay in the binding packages (OSHI's split)")
                .check(CLASSES);
    }

    @Test
    void theGpuMonitorKnowsNothingOfDjlOrTheOtherModules() {
        noClasses()
                .that()
                .resideInAPackage("io.trainsight.gpu..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "ai.djl..",
                        "io.trainsight.data..",
                        "io.trainsight.insight..",
                        "io.trainsight.trainer..",
                        "io.trainsight.cli..",
                        "io.trainsight.examples..")
                .because("gpu-monitor is usable as a standalone GPU exporter")
                .check(CLASSES);
    }

    @Test
    void theDataPipelineKnowsNothingOfTheMonitorTheInsightOrTheLoop() {
        noClasses()
                .that()
                .resideInAPackage("io.trainsight.data..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.trainsight.gpu..",
                        "io.trainsight.insight..",
                        "io.trainsight.trainer..",
                        "io.trainsight.cli..",
                        "io.trainsight.examples..")
                .check(CLASSES);
    }

    @Test
    void theInsightNeverReachesIntoTheLoop() {
        noClasses()
                .that()
                .resideInAPackage("io.trainsight.insight..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.trainsight.trainer..",
                        "io.trainsight.data..",
                        "io.trainsight.cli..",
                        "io.trainsight.examples..")
                .because("any loop feeds the timeline; the insight depends on no loop")
                .check(CLASSES);
    }

    @Test
    void theLibrariesKnowNothingOfTheApplication() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.trainsight.gpu..",
                        "io.trainsight.data..",
                        "io.trainsight.insight..",
                        "io.trainsight.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.trainsight.cli..", "io.trainsight.examples..", "picocli..")
                .check(CLASSES);
    }

    @Test
    void theLibrariesLogThroughSlf4jOnly() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.trainsight.gpu..",
                        "io.trainsight.data..",
                        "io.trainsight.insight..",
                        "io.trainsight.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ch.qos.logback..", "java.util.logging..", "org.apache.log4j..")
                .because("the application (examples) chooses the logging backend")
                .check(CLASSES);
    }
}
