package io.parley.gateway.fleet;

/**
 * The event bus addresses the fleet talks on. Node and stream ids are the cluster manager's and
 * the gateway's own; room ids are checked ({@code TokenService.ROOM_ID}) before they get here.
 */
final class FleetAddresses {

    private FleetAddresses() {
    }

    /** A worker: requests to run a speaker's stream (request, reply). */
    static String speakerOpen(String node) {
        return "parley.node." + node + ".speaker.open";
    }

    /** A worker: a speaker stream's audio ({@link AudioFrame}). */
    static String speakerAudio(String node) {
        return "parley.node." + node + ".speaker.audio";
    }

    /** A worker: finish or abort a speaker stream. */
    static String speakerControl(String node) {
        return "parley.node." + node + ".speaker.control";
    }

    /** The edge that holds a speaker: its captions echoed, its end, errors, requests to end or move. */
    static String speakerEvents(String streamId) {
        return "parley.speaker." + streamId;
    }

    /** Every edge with viewers of a room in a stream (a language, or the original): the room's captions. */
    static String roomCaptions(String room, String stream) {
        return "parley.room." + room + ".captions." + stream;
    }

    /** Published by edges: the languages their viewers read, per room, so that workers keep translating them. */
    static final String WATCH = "parley.fleet.watch";

    /** Published by the node that replaced a room's glossary: the others read it from the store. */
    static final String GLOSSARY = "parley.fleet.glossary";

    /** Published by the node that closed a room: every node lets its viewers and speakers of it go. */
    static final String ROOM_CLOSED = "parley.fleet.room-closed";
}
