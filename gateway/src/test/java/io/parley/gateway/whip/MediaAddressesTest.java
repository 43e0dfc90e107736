package io.parley.gateway.whip;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which addresses a WHIP answer offers, on hosts described by a fake interface list (a fake of
 * the operating system's list, so that a server, a laptop and a container can be tried on one
 * machine; the end-to-end WHIP tests use the real one).
 */
class MediaAddressesTest {

    static MediaAddresses.Nic nic(String name, boolean up, boolean loopback, String... addresses) throws Exception {
        List<InetAddress> list = new java.util.ArrayList<>();
        for (String a : addresses) {
            list.add(InetAddress.getByName(a));
        }
        return new MediaAddresses.Nic(name, up, loopback, list);
    }

    static final MediaAddresses.Host SERVER = () -> {
        try {
            return List.of(nic("lo", true, true, "127.0.0.1", "::1"), nic("eth0", true, false, "10.0.0.5", "fe80::1"),
                    nic("eth1", true, false, "192.168.7.2", "169.254.3.3"), nic("wlan0", false, false, "172.16.0.9"));
        } catch (Exception e) {
            throw new SocketException(e.toString());
        }
    };

    static final MediaAddresses.Host CONTAINER = () -> {
        try {
            return List.of(nic("lo", true, true, "127.0.0.1", "::1"));
        } catch (Exception e) {
            throw new SocketException(e.toString());
        }
    };

    static List<String> offered(MediaAddresses m) {
        return m.current().stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void aLoopbackHostOffersLoopbackOnly() {
        assertEquals(List.of("127.0.0.1"), offered(MediaAddresses.of(SERVER, "127.0.0.1", List.of())));
        assertEquals(List.of("127.0.0.1"), offered(MediaAddresses.of(SERVER, "localhost", List.of())));
        assertEquals(List.of("127.0.0.1"), offered(MediaAddresses.of(SERVER, "::1", List.of())));
    }

    @Test
    void aSpecificHostOffersThatAddressOnly() {
        assertEquals(List.of("10.0.0.5"), offered(MediaAddresses.of(SERVER, "10.0.0.5", List.of())));
    }

    @Test
    void aWildcardHostOffersEveryInterfaceUpButNotLoopbackOrLinkLocal() {
        assertEquals(List.of("10.0.0.5", "192.168.7.2"), offered(MediaAddresses.of(SERVER, "0.0.0.0", List.of())));
        assertEquals(List.of("10.0.0.5", "192.168.7.2"), offered(MediaAddresses.of(SERVER, "::", List.of())));
    }

    @Test
    void aHostWithOnlyLoopbackOffersLoopbackRatherThanNothing() {
        assertEquals(List.of("127.0.0.1"), offered(MediaAddresses.of(CONTAINER, "0.0.0.0", List.of())));
    }

    @Test
    void chosenInterfacesByNameOrAddressWinOverTheHost() {
        assertEquals(List.of("192.168.7.2"), offered(MediaAddresses.of(SERVER, "0.0.0.0", List.of("eth1"))));
        assertEquals(List.of("10.0.0.5", "127.0.0.1"), offered(MediaAddresses.of(SERVER, "127.0.0.1", List.of("10.0.0.5", "lo"))));
        // An interface that is down now offers nothing: the session is refused with no_ice_candidates.
        assertEquals(List.of(), offered(MediaAddresses.of(SERVER, "0.0.0.0", List.of("wlan0"))));
    }

    @Test
    void aTypoStopsTheStartWithWhatTheHostHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MediaAddresses.of(SERVER, "0.0.0.0", List.of("eht0")));
        assertTrue(e.getMessage().contains("no interface 'eht0'") && e.getMessage().contains("eth0 10.0.0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MediaAddresses.of(SERVER, "0.0.0.0", List.of("10.9.9.9")));
        assertTrue(e.getMessage().contains("not an address of this host"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MediaAddresses.of(SERVER, "0.0.0.0", List.of("fe80::1")));
        assertTrue(e.getMessage().contains("IPv4"), e.getMessage());
    }

    @Test
    void theDescriptionSaysWhereMediaGoes() {
        assertTrue(MediaAddresses.of(SERVER, "127.0.0.1", List.of()).describe().startsWith("127.0.0.1"));
        assertEquals("every interface: 10.0.0.5 192.168.7.2", MediaAddresses.of(SERVER, "0.0.0.0", List.of()).describe());
    }
}
