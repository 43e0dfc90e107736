package io.parley.gateway.whip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPv4 addresses a WHIP answer offers for media: the server decides them, not libwebrtc,
 * whose own gathering ignores loopback (so a gateway in a container or a network namespace with
 * only {@code lo} answered with no candidate at all) and offers every interface whatever
 * {@code --host} says.
 *
 * <ul>
 *   <li>{@code --webrtc-interfaces eth0,10.0.0.5}: those interfaces' addresses, those addresses;</li>
 *   <li>else a specific {@code --host}: that address ({@code 127.0.0.1} for loopback);</li>
 *   <li>else (a wildcard host): every interface that is up, leaving out loopback and link-local
 *       addresses, and loopback itself when no other interface exists.</li>
 * </ul>
 * Interfaces are read again for every session, so a network that comes up later is offered.
 */
public final class MediaAddresses {

    /** One network interface as the operating system lists it (an interface, so that tests can feed their own). */
    public record Nic(String name, boolean up, boolean loopback, List<InetAddress> addresses) {
    }

    /** Lists the host's interfaces. */
    @FunctionalInterface
    public interface Host {
        List<Nic> interfaces() throws SocketException;

        /** This machine's interfaces. */
        static Host system() {
            return () -> {
                List<Nic> out = new ArrayList<>();
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    out.add(new Nic(n.getName(), n.isUp(), n.isLoopback(), Collections.list(n.getInetAddresses())));
                }
                return out;
            };
        }
    }

    private static final Inet4Address LOOPBACK = v4("127.0.0.1");

    private final Host host;
    private final List<String> chosen;
    private final Inet4Address listenAddress;

    private MediaAddresses(Host host, List<String> chosen, Inet4Address listenAddress) {
        this.host = host;
        this.chosen = chosen;
        this.listenAddress = listenAddress;
    }

    /**
     * The addresses for a gateway listening on {@code listenHost} with {@code interfaces} chosen.
     * Checked now, so that a typo stops the start with a message rather than every session later.
     *
     * @throws IllegalArgumentException naming what does not exist on this host
     */
    public static MediaAddresses of(Host host, String listenHost, List<String> interfaces) {
        Inet4Address listen = null;
        if (interfaces.isEmpty() && !isWildcard(listenHost)) {
            listen = specific(listenHost);
        }
        MediaAddresses addresses = new MediaAddresses(host, interfaces, listen);
        if (!interfaces.isEmpty()) {
            List<Nic> nics = addresses.list();
            for (String name : interfaces) {
                if (isV4Literal(name)) {
                    Inet4Address a = v4(name);
                    if (nics.stream().noneMatch(n -> n.addresses().contains(a))) {
                        throw new IllegalArgumentException("--webrtc-interfaces names " + name + ", which is not an address of"
                                + " this host (it has " + describe(nics) + ")");
                    }
                } else if (name.contains(":")) {
                    throw new IllegalArgumentException("--webrtc-interfaces: media is offered over IPv4; name an interface or"
                            + " an IPv4 address, not " + name);
                } else if (nics.stream().noneMatch(n -> n.name().equals(name))) {
                    throw new IllegalArgumentException("--webrtc-interfaces names no interface '" + name + "' on this host"
                            + " (it has " + describe(nics) + ")");
                }
            }
        }
        return addresses;
    }

    /** The addresses to offer now; empty when none of the chosen interfaces has an IPv4 address up. */
    public List<Inet4Address> current() {
        if (listenAddress != null) {
            return List.of(listenAddress);
        }
        List<Nic> nics;
        try {
            nics = list();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Set<Inet4Address> out = new LinkedHashSet<>();
        if (!chosen.isEmpty()) {
            for (String name : chosen) {
                for (Nic n : nics) {
                    for (InetAddress a : n.addresses()) {
                        // By name: the interface's routable addresses; by address: that address, whatever it is.
                        if (a instanceof Inet4Address v4 && n.up() && (a.getHostAddress().equals(name)
                                || n.name().equals(name) && !v4.isLinkLocalAddress())) {
                            out.add(v4);
                        }
                    }
                }
            }
            return List.copyOf(out);
        }
        for (Nic n : nics) {
            if (n.up() && !n.loopback()) {
                for (InetAddress a : n.addresses()) {
                    if (a instanceof Inet4Address v4 && !v4.isLoopbackAddress() && !v4.isLinkLocalAddress()
                            && !v4.isAnyLocalAddress()) {
                        out.add(v4);
                    }
                }
            }
        }
        // A host with only loopback (a container, a network namespace) is still reachable from itself.
        return out.isEmpty() ? List.of(LOOPBACK) : List.copyOf(out);
    }

    /** How the addresses are chosen, for the start-up line. */
    public String describe() {
        if (listenAddress != null) {
            return listenAddress.getHostAddress() + " (the --host address)";
        }
        String now = current().stream().map(Inet4Address::getHostAddress).reduce((a, b) -> a + " " + b).orElse("none");
        return (chosen.isEmpty() ? "every interface: " : String.join(",", chosen) + ": ") + now;
    }

    private List<Nic> list() {
        try {
            return host.interfaces();
        } catch (SocketException e) {
            throw new IllegalArgumentException("the network interfaces cannot be listed: " + e.getMessage());
        }
    }

    private static boolean isWildcard(String listenHost) {
        return listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.equals("[::]") || listenHost.isEmpty();
    }

    /** The one address a specific --host listens on: its IPv4 address, loopback for a loopback name. */
    private static Inet4Address specific(String listenHost) {
        try {
            InetAddress[] all = InetAddress.getAllByName(listenHost.replace("[", "").replace("]", ""));
            for (InetAddress a : all) {
                if (a.isLoopbackAddress()) {
                    return LOOPBACK;
                }
                if (a instanceof Inet4Address v4) {
                    return v4;
                }
            }
            throw new IllegalArgumentException("--host " + listenHost + " has no IPv4 address, and WebRTC media is offered"
                    + " over IPv4: give --webrtc-interfaces, or --webrtc off");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + listenHost + " does not resolve: " + e.getMessage());
        }
    }

    private static boolean isV4Literal(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static Inet4Address v4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + literal);
        }
    }

    private static String describe(List<Nic> nics) {
        StringBuilder sb = new StringBuilder();
        for (Nic n : nics) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(n.name());
            n.addresses().stream().filter(a -> a instanceof Inet4Address)
                    .forEach(a -> sb.append(' ').append(a.getHostAddress()));
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
