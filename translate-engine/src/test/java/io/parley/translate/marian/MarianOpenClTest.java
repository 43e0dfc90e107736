package io.parley.translate.marian;

import io.parley.translate.marian.engine.MarianEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Marian engine on the OpenCL backend (PoCL in CI) against the native engine's output.
 * Tagged {@code opencl}: it runs in a JVM of its own (see the root pom).
 */
@Tag("opencl")
class MarianOpenClTest {

    @Test
    void theOpenClBackendGivesTheSameTranslations() throws Exception {
        MarianEngineTest.Reference ref = MarianEngineTest.reference("pten");
        List<String> sources = ref.sources().subList(0, 24);
        try (var cl = io.parley.kernels.accel.AcceleratorFactory.create(
                new io.parley.kernels.accel.AcceleratorConfig("opencl", 0, ""));
             MarianEngine engine = MarianEngine.load(
                     io.parley.translate.marian.engine.MarianModelDir.open(MarianTestModels.dir("mt-pten")), cl, 0)) {
            List<String> ours = engine.translate(sources, 1);
            long same = java.util.stream.IntStream.range(0, sources.size())
                    .filter(i -> ours.get(i).equals(ref.translations().get(i))).count();
            System.out.printf("opencl (%s): %d/%d identical to the native engine%n", cl.device(), same, sources.size());
            // Float sums in another order may tip a near tie; the bound is the suite's 95%.
            assertTrue(same >= sources.size() * 0.95, same + " of " + sources.size());
        }
    }
}
