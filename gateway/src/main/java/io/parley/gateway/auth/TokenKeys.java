package io.parley.gateway.auth;

import io.vertx.ext.auth.PubSecKeyOptions;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The keys that sign and verify room tokens. Each has an id (the JWT {@code kid}): the file's
 * name without extension, or {@code ID=FILE}. A key file is one of:
 * <ul>
 *   <li>an HS256 secret: the file's text (at least 32 characters), the way Jitsi's
 *       {@code app_secret} is shared with the host application;</li>
 *   <li>an EC (P-256/384/521: ES256/384/512) or RSA (RS256, 2048 bits or more) private key in
 *       PKCS#8 PEM ({@code BEGIN PRIVATE KEY}); an EC file may carry its {@code PUBLIC KEY}
 *       block too (OpenSSL's keys hold the public point already);</li>
 *   <li>a public key or certificate alone: tokens it signed are accepted, Parley signs none with it.</li>
 * </ul>
 * The first key that can sign signs; all verify. With no key given, Parley keeps HS256 secrets
 * in the data folder's {@code keys/}, making one on first run; the newest (by id, which starts
 * with the date) signs, and a key stays accepted until its file is deleted: that is rotation.
 */
public final class TokenKeys {

    /** A key: what it verifies with, and what it signs with if it can. */
    public record Key(String id, String algorithm, PubSecKeyOptions verifying, PubSecKeyOptions signing, String source) {
        public boolean canSign() {
            return signing != null;
        }
    }

    public static final int MIN_SECRET_CHARS = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Key> keys;
    private final Key signer;

    private TokenKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
        this.signer = keys.stream().filter(Key::canSign).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "none of the --jwt-key files can sign tokens (only public keys were given); add an HS256 secret or a private key"));
    }

    public List<Key> keys() {
        return keys;
    }

    public Key signer() {
        return signer;
    }

    /**
     * The keys named on the command line ({@code [ID=]FILE}, first one signs), or if none, the
     * data folder's, made on first use.
     */
    public static TokenKeys load(List<String> specs, Path keysDir, java.util.function.Consumer<String> progress) {
        List<Key> keys = new ArrayList<>();
        if (!specs.isEmpty()) {
            for (String spec : specs) {
                int eq = spec.indexOf('=');
                Path file = Path.of(eq > 0 ? spec.substring(eq + 1) : spec);
                String id = eq > 0 ? spec.substring(0, eq) : stem(file);
                keys.add(read(id, file));
            }
            return new TokenKeys(keys);
        }
        try {
            Files.createDirectories(keysDir);
            List<Path> files = secretFiles(keysDir);
            if (files.isEmpty()) {
                Path made = generate(keysDir);
                progress.accept("made a token signing key: " + made);
                files = List.of(made);
            }
            // Newest first: ids start with the date they were made.
            files.stream().sorted(Comparator.comparing(TokenKeys::stem).reversed()).forEach(f -> keys.add(read(stem(f), f)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read or make the token keys in " + keysDir + ": " + e.getMessage(), e);
        }
        return new TokenKeys(keys);
    }

    private static List<Path> secretFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".key")).toList();
        }
    }

    /** Makes a new HS256 secret in {@code keysDir}, readable by its owner only; returns its file. */
    public static Path generate(Path keysDir) throws IOException {
        Files.createDirectories(keysDir);
        byte[] secret = new byte[48];
        RANDOM.nextBytes(secret);
        byte[] tag = new byte[3];
        RANDOM.nextBytes(tag);
        String id = "parley-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + HexFormat.of().formatHex(tag);
        Path file = keysDir.resolve(id + ".key");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n", StandardOpenOption.WRITE);
        return file;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static Key read(String id, Path file) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' (from " + file + ") must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token key " + file + ": " + e.getMessage(), e);
        }
        try {
            return text.contains("-----BEGIN ") ? pem(id, file, text) : secret(id, file, text);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the token key " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static Key secret(String id, Path file, String text) {
        String secret = text.strip();
        if (secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("an HS256 secret must be at least " + MIN_SECRET_CHARS
                    + " characters (256 bits); this one has " + secret.length());
        }
        PubSecKeyOptions options = new PubSecKeyOptions().setAlgorithm("HS256").setId(id).setBuffer(secret);
        return new Key(id, "HS256", options, options, file.toString());
    }

    private static Key pem(String id, Path file, String text) throws GeneralSecurityException {
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> privateKey = privateKey(der);
                case "PUBLIC KEY" -> publicKey = publicKey(der);
                case "CERTIFICATE" -> publicKey = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(der)).getPublicKey();
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("it is in the old "
                        + m.group(1) + " format; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("it is encrypted; Parley needs it"
                        + " unencrypted (openssl pkcs8 -topk8 -nocrypt), kept readable by its user only");
                default -> throw new IllegalArgumentException("it holds a " + m.group(1) + ", not a key");
            }
        }
        if (privateKey == null && publicKey == null) {
            throw new IllegalArgumentException("no key found in its PEM blocks");
        }
        if (publicKey == null) {
            publicKey = publicOf(privateKey);
        }
        String algorithm = algorithm(publicKey);
        PubSecKeyOptions verifying = new PubSecKeyOptions().setAlgorithm(algorithm).setId(id)
                .setBuffer(pemBlock("PUBLIC KEY", publicKey.getEncoded()));
        PubSecKeyOptions signing = privateKey == null ? null : new PubSecKeyOptions().setAlgorithm(algorithm).setId(id)
                .setBuffer(pemBlock("PRIVATE KEY", privateKey.getEncoded()));
        return new Key(id, algorithm, verifying, signing, file.toString());
    }

    private static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
        for (String kind : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException notThisKind) {
                // try the next
            }
        }
        throw new IllegalArgumentException("its private key is neither RSA nor EC");
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        for (String kind : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException notThisKind) {
                // try the next
            }
        }
        throw new IllegalArgumentException("its public key is neither RSA nor EC");
    }

    /** The public half of a private key: RSA's is in the key; EC's is the point PKCS#8 may carry. */
    private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (key instanceof ECPrivateKey ec) {
            byte[] point = Pkcs8.ecPublicPoint(key.getEncoded());
            if (point == null || point.length < 3 || point[0] != 4) {
                throw new IllegalArgumentException("this EC private key does not carry its public key; append it"
                        + " (openssl ec -in key.pem -pubout >> key.pem)");
            }
            int n = (point.length - 1) / 2;
            ECPoint w = new ECPoint(new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 1 + n)),
                    new BigInteger(1, java.util.Arrays.copyOfRange(point, 1 + n, point.length)));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
        }
        throw new IllegalArgumentException("unsupported private key " + key.getAlgorithm());
    }

    private static String algorithm(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("an RSA key must have at least 2048 bits; this one has "
                        + rsa.getModulus().bitLength());
            }
            return "RS256";
        }
        if (key instanceof ECPublicKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> throw new IllegalArgumentException("EC keys must be on P-256, P-384 or P-521");
            };
        }
        throw new IllegalArgumentException("unsupported public key " + key.getAlgorithm());
    }

    static String pemBlock(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + kind + "-----\n";
    }
}
