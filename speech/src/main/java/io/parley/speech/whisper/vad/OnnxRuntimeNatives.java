package io.parley.speech.whisper.vad;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where ONNX Runtime's native libraries are loaded from. Left to itself, ONNX Runtime's Java
 * binding copies its libraries (21 MB) out of its jar into a new folder under the system's
 * temporary directory at every JVM start, and leaves that folder behind: empty after a normal
 * exit, with the libraries in it when the process is killed while loading. A gateway restarted
 * by its supervisor, and a test suite that starts many JVMs, fill {@code /tmp} that way.
 *
 * <p>Instead, the libraries are copied once into a folder of their own beside the models,
 * named by the checksums the jar records for them (so that another ONNX Runtime version gets
 * another folder), and ONNX Runtime is pointed at it ({@code onnxruntime.native.path}). The copy
 * is written under a temporary name and renamed into place, so that JVMs starting together never
 * load a half-written library. Where that folder cannot be written, or the property is already
 * set by the operator, ONNX Runtime does as it would have.
 */
public final class OnnxRuntimeNatives {

    /** ONNX Runtime's own property: a folder holding its native libraries. */
    static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final Logger LOG = Logger.getLogger(OnnxRuntimeNatives.class.getName());
    /** The libraries ONNX Runtime loads, by their base names. */
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

    private static boolean prepared;

    private OnnxRuntimeNatives() {
    }

    /**
     * Points ONNX Runtime at its libraries under {@code cacheRoot}, copying them there first if
     * needed. Call before anything touches ONNX Runtime; later calls do nothing.
     */
    public static synchronized void prepare(Path cacheRoot) {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        try {
            extract(cacheRoot).ifPresent(dir -> System.setProperty(PATH_PROPERTY, dir.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ONNX Runtime's libraries could not be kept in " + cacheRoot
                    + " (" + e.getMessage() + "); ONNX Runtime extracts them into the temporary directory instead");
        }
    }

    /**
     * Copies this platform's libraries out of ONNX Runtime's jar into a folder under
     * {@code cacheRoot}, unless a complete copy is there already.
     *
     * @return the folder, or empty where the jar has no libraries for this platform or is not a jar
     */
    static Optional<Path> extract(Path cacheRoot) throws IOException {
        String platform = platform();
        long key = 17;
        long[] sizes = new long[LIBRARIES.size()];
        for (int i = 0; i < sizes.length; i++) {
            Optional<JarEntry> entry = entry(platform, LIBRARIES.get(i));
            if (entry.isEmpty() || entry.get().getCrc() < 0) {
                return Optional.empty();
            }
            sizes[i] = entry.get().getSize();
            key = 31 * key + entry.get().getCrc();
            key = 31 * key + sizes[i];
        }
        Path dir = cacheRoot.resolve("onnxruntime-natives").resolve(platform + "-" + Long.toHexString(key));
        Files.createDirectories(dir);
        for (int i = 0; i < sizes.length; i++) {
            String library = LIBRARIES.get(i);
            String file = System.mapLibraryName(library);
            Path target = dir.resolve(file);
            long size = sizes[i];
            if (Files.isRegularFile(target) && Files.size(target) == size) {
                continue;
            }
            Path partial = Files.createTempFile(dir, file, ".partial");
            try (InputStream in = resource(platform, library).openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                if (Files.size(partial) != size) {
                    throw new IOException(file + " came out of the jar at " + Files.size(partial) + " bytes, not " + size);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        return Optional.of(dir);
    }

    /** The jar's folder name for this platform, as ONNX Runtime's loader names it. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }

    private static URL resource(String platform, String library) {
        return OnnxRuntimeNatives.class.getClassLoader()
                .getResource("ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(library));
    }

    private static Optional<JarEntry> entry(String platform, String library) throws IOException {
        URL url = resource(platform, library);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return Optional.empty();
        }
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try {
            return Optional.ofNullable(connection.getJarEntry());
        } finally {
            connection.getJarFile().close();
        }
    }
}
