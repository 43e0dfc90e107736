package io.parley.gateway.auth;

import java.util.Arrays;

/**
 * Just enough DER to find the public point an EC private key in PKCS#8 carries (RFC 5915's
 * optional {@code publicKey [1]}, which OpenSSL always writes), so that an operator's
 * {@code openssl genpkey} key can verify the tokens it signs without a second file.
 */
final class Pkcs8 {

    private Pkcs8() {
    }

    /** The uncompressed point (04 || X || Y), or null if the key does not carry it. */
    static byte[] ecPublicPoint(byte[] pkcs8) {
        try {
            Der info = new Der(pkcs8, 0, pkcs8.length).enter(0x30);
            info.skip(0x02);                 // version
            info.skip(0x30);                 // algorithm identifier
            Der octets = info.next(0x04);    // privateKey: an ECPrivateKey
            Der ecKey = new Der(octets.bytes, octets.start, octets.end).enter(0x30);
            ecKey.skip(0x02);                // version
            ecKey.skip(0x04);                // the private scalar
            while (ecKey.pos < ecKey.end) {
                int tag = ecKey.bytes[ecKey.pos] & 0xff;
                Der field = ecKey.next(tag);
                if (tag == 0xa1) {           // [1] EXPLICIT BIT STRING
                    Der bits = new Der(field.bytes, field.start, field.end).next(0x03);
                    // The first octet of a BIT STRING counts unused bits (0 here).
                    return Arrays.copyOfRange(bits.bytes, bits.start + 1, bits.end);
                }
            }
            return null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** A cursor over DER elements in {@code bytes[pos, end)}; {@code start} is the current element's content. */
    private static final class Der {
        final byte[] bytes;
        int pos;
        final int end;
        int start;

        Der(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        /** The next element, which must have {@code tag}, as a cursor over its content. */
        Der next(int tag) {
            if (pos >= end || (bytes[pos] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected DER tag");
            }
            pos++;
            int len = bytes[pos++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (bytes[pos++] & 0xff);
                }
            }
            if (len < 0 || pos + len > end) {
                throw new IllegalArgumentException("DER length out of bounds");
            }
            Der content = new Der(bytes, pos, pos + len);
            content.start = pos;
            pos += len;
            return content;
        }

        Der enter(int tag) {
            return next(tag);
        }

        void skip(int tag) {
            next(tag);
        }
    }
}
