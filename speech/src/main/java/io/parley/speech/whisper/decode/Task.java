package io.parley.speech.whisper.decode;

/** What Whisper is asked to do with speech. */
public enum Task {
    /** Text in the language spoken. */
    TRANSCRIBE,
    /** Text in English, whatever the language spoken. */
    TRANSLATE
}
