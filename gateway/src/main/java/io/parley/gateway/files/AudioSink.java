package io.parley.gateway.files;

/** Where decoded audio goes, one block at a time: 16 kHz mono samples in [-1, 1]. May block to slow the decoder down. */
@FunctionalInterface
public interface AudioSink {
    void accept(float[] samples) throws InterruptedException;
}
