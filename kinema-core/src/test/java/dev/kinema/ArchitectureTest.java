package dev.kinema;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The package structure of kinema-core's main classes, as docs/architecture.md describes it: no
 * package cycles, and every import points down the tiers below.
 *
 * <p>To add an import that this test refuses, move code down (into the package that is imported
 * by both) rather than making the lower package import the upper one; if a package really belongs
 * higher up, move it up a tier here and in docs/architecture.md.
 */
@AnalyzeClasses(packages = "dev.kinema", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * The tiers, bottom to top, by package under {@code dev.kinema}. A package may import the
     * packages of the tiers below its own, and not those of its own tier or above. (kinema-cli's
     * {@code dev.kinema.cli} is the top tier; Maven's module dependency keeps core from using it.)
     */
    static final List<List<String>> TIERS = List.of(
            List.of("io"),
            List.of("engine", "weights", "video", "data.annotations"),
            List.of("nn", "data.transforms", "data.sampling", "data.datasets", "flow", "viz", "audio"),
            List.of("models", "data.loader", "synth"),
            List.of("eval", "cards", "adamml"),
            List.of("tasks", "localization", "persons"),
            List.of("train"),
            List.of("bench", "recipes", "explain"));

    /**
     * The tiers inside {@code models} (which counts as one package above), bottom to top, by package
     * under {@code dev.kinema.models}; {@code ""} is {@code dev.kinema.models} itself (VideoModel,
     * ModelRegistry, ModelFamily and the other shared types). The shared types find the families
     * through {@link java.util.ServiceLoader}, never by import; a family imports the shared types
     * and the heads, and no other family, except two-stream, which is made of frame models.
     */
    static final List<List<String>> MODEL_TIERS = List.of(
            List.of("heads"),
            List.of(""),
            List.of("frame", "cnn3d", "toy", "i3d", "videoresnet", "tsm", "slowfast", "x3d", "transformer",
                    "videomae", "language", "detection"),
            List.of("twostream", "recurrent", "streaming", "separation"),
            List.of("audio"),
            List.of("avsync"));

    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching("dev.kinema.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("dev.kinema.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule importsPointDownTheTiers = layers();

    @ArchTest
    static final ArchRule modelImportsPointDownTheModelTiers = modelLayers();

    static LayeredArchitecture layers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (List<String> tier : TIERS) {
            for (String p : tier) {
                arch = arch.layer(p).definedBy("dev.kinema." + p + "..");
            }
        }
        return ordered(arch, TIERS);
    }

    static LayeredArchitecture modelLayers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitectureIgnoring(DescribedPredicate.describe("outside dev.kinema.models",
                        c -> !c.getPackageName().equals("dev.kinema.models")
                                && !c.getPackageName().startsWith("dev.kinema.models.")));
        for (List<String> tier : MODEL_TIERS) {
            for (String p : tier) {
                arch = arch.layer(modelLayer(p)).definedBy(p.isEmpty() ? "dev.kinema.models" : "dev.kinema.models." + p + "..");
            }
        }
        List<List<String>> named = MODEL_TIERS.stream().map(t -> t.stream().map(ArchitectureTest::modelLayer).toList())
                .toList();
        return ordered(arch, named);
    }

    private static String modelLayer(String p) {
        return p.isEmpty() ? "models" : "models." + p;
    }

    /** Each layer may use only the layers of the tiers below its own. */
    private static LayeredArchitecture ordered(LayeredArchitecture layers, List<List<String>> tiers) {
        LayeredArchitecture arch = layers;
        List<String> below = new ArrayList<>();
        for (List<String> tier : tiers) {
            for (String p : tier) {
                arch = below.isEmpty()
                        ? arch.whereLayer(p).mayNotAccessAnyLayer()
                        : arch.whereLayer(p).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(tier);
        }
        return arch;
    }
}
