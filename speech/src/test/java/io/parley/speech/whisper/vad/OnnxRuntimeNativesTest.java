package io.parley.speech.whisper.vad;

import io.parley.speech.whisper.ModelLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime's libraries are kept in one folder of their own, not copied into /tmp at every start. */
class OnnxRuntimeNativesTest {

    private static final List<String> FILES = List.of(System.mapLibraryName("onnxruntime"),
            System.mapLibraryName("onnxruntime4j_jni"));

    @Test
    void copiesTheLibrariesOnceAndMendsATruncatedOne(@TempDir Path cache) throws IOException {
        Path dir = OnnxRuntimeNatives.extract(cache).orElseThrow();
        assertTrue(dir.startsWith(cache.resolve("onnxruntime-natives")), dir.toString());
        for (String file : FILES) {
            assertTrue(Files.size(dir.resolve(file)) > 10_000, file);
        }
        long fullSize = Files.size(dir.resolve(FILES.get(1)));
        FileTime written = Files.getLastModifiedTime(dir.resolve(FILES.getFirst()));

        // A second start finds the copy complete and leaves it alone.
        Files.setLastModifiedTime(dir.resolve(FILES.getFirst()), FileTime.fromMillis(written.toMillis() - 60_000));
        assertEquals(dir, OnnxRuntimeNatives.extract(cache).orElseThrow());
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve(FILES.getFirst())).toMillis());

        // A copy cut short (a process killed while writing it in place) is written again.
        try (FileChannel ch = FileChannel.open(dir.resolve(FILES.get(1)), StandardOpenOption.WRITE)) {
            ch.truncate(fullSize / 2);
        }
        OnnxRuntimeNatives.extract(cache).orElseThrow();
        assertEquals(fullSize, Files.size(dir.resolve(FILES.get(1))));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(FILES.size(), left.count(), "no partial copies are left behind");
        }
    }

    /**
     * End to end, in a JVM of its own (ONNX Runtime loads once per process): Silero VAD runs on
     * the libraries in the cache, and the JVM's temporary directory is left as it was. Without
     * {@link OnnxRuntimeNatives}, ONNX Runtime leaves a folder there at every start.
     */
    @Test
    void aJvmThatRunsTheVadLeavesNothingInItsTemporaryDirectory(@TempDir Path work) throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path cache = work.resolve("cache");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), OnnxRuntimeNativesProbe.class.getName(),
                cache.toString(), ModelLocator.sileroVad().toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("probability "), output);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
        assertTrue(Files.isDirectory(cache.resolve("onnxruntime-natives")));
    }
}
