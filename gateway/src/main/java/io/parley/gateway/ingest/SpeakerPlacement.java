package io.parley.gateway.ingest;

import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.SpeakerStream;
import io.parley.speech.recognizer.RecognizerException;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a speaker's audio is recognised when the gateway is one node of a fleet: on a worker
 * chosen by load, the stream held here. Implemented by the fleet; a gateway that runs alone
 * recognises every stream itself ({@link SpeakerIngest#openHere}).
 */
public interface SpeakerPlacement {

    /** Like {@link SpeakerIngest#open}, with the language already resolved. */
    SpeakerIngest openElsewhere(Room room, String language, List<String> expected, String speaker, CaptionSink echo, String streamId,
                                Consumer<RecognizerException> onError, Runnable onEnded, SpeakerStream.Ending ending)
            throws IngestRefused;
}
