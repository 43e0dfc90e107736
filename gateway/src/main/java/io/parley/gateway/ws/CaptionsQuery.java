package io.parley.gateway.ws;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.translate.api.LanguageCodes;

import java.util.Optional;
import java.util.Set;

/**
 * The query of a viewer socket, {@code ?lang=es&since=42&last=10}, checked.
 *
 * @param lang  the caption language, or null for every caption as it was spoken
 * @param since replay every final after this seq; -1: none asked
 * @param last  without {@code since}: how many of the newest finals to replay
 */
public record CaptionsQuery(String lang, long since, int last) {

    /** The most finals a viewer may ask to see on joining. */
    public static final int MAX_LAST = 1000;

    /** A query that cannot be served; {@link #code()} is the error code. */
    public static final class Invalid extends Exception {
        private final String code;

        Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * @param languages   the caption languages the gateway can make
     * @param defaultLast the room's default for {@code last}
     */
    public static CaptionsQuery parse(String lang, String since, String last, Set<String> languages, int defaultLast)
            throws Invalid {
        String canonicalLang = null;
        if (lang != null && !lang.isBlank()) {
            Optional<String> c = lang.length() > 32 ? Optional.empty() : LanguageCodes.canonical(lang).filter(languages::contains);
            if (c.isEmpty()) {
                throw new Invalid(ErrorCodes.UNSUPPORTED_LANGUAGE, "no captions can be made in '"
                        + (lang.length() > 32 ? lang.substring(0, 32) + "..." : lang).replaceAll("\\p{C}", "?")
                        + "'; available: " + languages);
            }
            canonicalLang = c.get();
        }
        long sinceSeq = -1;
        if (since != null && !since.isBlank()) {
            try {
                sinceSeq = Long.parseLong(since.strip());
            } catch (NumberFormatException e) {
                throw new Invalid(ErrorCodes.INVALID_REQUEST, "since must be a caption seq number (0 or more)");
            }
            if (sinceSeq < 0) {
                throw new Invalid(ErrorCodes.INVALID_REQUEST, "since must be a caption seq number (0 or more)");
            }
        }
        int lastN = defaultLast;
        if (last != null && !last.isBlank()) {
            try {
                lastN = Integer.parseInt(last.strip());
            } catch (NumberFormatException e) {
                lastN = -1;
            }
            if (lastN < 0 || lastN > MAX_LAST) {
                throw new Invalid(ErrorCodes.INVALID_REQUEST, "last must be a whole number from 0 to " + MAX_LAST);
            }
        }
        return new CaptionsQuery(canonicalLang, sinceSeq, lastN);
    }
}
