package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;

import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS and WSS with the operator's own PEM certificate: the test makes a certificate authority
 * and a server certificate for 127.0.0.1 and localhost, starts the gateway with them, and
 * connects with verification on (trust in that authority only, host names checked).
 */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void httpsAndWssWithTheOperatorsCertificate() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair caKeys = rsa.generateKeyPair();
        KeyPair serverKeys = rsa.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=Parley test CA");
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(caName,
                BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
        X509CertificateHolder serverHolder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=localhost"),
                serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate()));
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(serverHolder);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, TokensTest.pem("CERTIFICATE", server.getEncoded()) + TokensTest.pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(key, TokensTest.pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));

        TestGateway plain = TestGateway.shared();
        TestGateway tls = plain.withConfig(plain.config.withSecurity(plain.config.security().withTls(cert, key)));
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("parley-test-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient verifying = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

            for (String host : new String[]{"127.0.0.1", "localhost"}) {
                HttpResponse<String> health = verifying.send(HttpRequest.newBuilder(
                        URI.create("https://" + host + ":" + tls.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
            }
            HttpResponse<String> created = verifying.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + tls.port() + "/v1/rooms")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            JsonObject room = new JsonObject(created.body());
            SocketClient viewer = SocketClient.connect(verifying, "wss://localhost:" + tls.port() + "/v1/rooms/"
                    + room.getString("room") + "/captions", room.getString("viewerToken"));
            JsonObject ready = viewer.await(j -> "ready".equals(j.getString("type")), 10_000);
            assertEquals(room.getString("room"), ready.getString("room"));
            viewer.close();

            // Verification is on: a client that does not trust the authority is refused.
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Exception e = assertThrows(Exception.class, () -> untrusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + tls.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
            assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException, e.toString());
            // And plain HTTP on the TLS port gets nothing.
            assertThrows(Exception.class, () -> plain.http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tls.port() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("ok"));
        } finally {
            tls.server.close();
        }
    }
}
