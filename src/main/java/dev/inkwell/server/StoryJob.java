package dev.inkwell.server;

import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One story job: its state, its frames as they finish, the strip and manifest at the end, and the
 * events it has sent, replayed to every stream that joins late. A stream that disconnects only
 * stops listening; the job goes on for others to fetch.
 */
final class StoryJob {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    enum State { QUEUED, RUNNING, DONE, CANCELLED, FAILED }

    private final String id;
    private final int frameCount;
    private volatile State state = State.QUEUED;
    private volatile String error;
    private volatile boolean cancelRequested;
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private volatile byte[] strip;
    private volatile String manifest;
    private final List<String[]> events = new ArrayList<>();
    private final List<SseClient> streams = new CopyOnWriteArrayList<>();

    StoryJob(String id, int frameCount) {
        this.id = id;
        this.frameCount = frameCount;
    }

    String id() {
        return id;
    }

    int frameCount() {
        return frameCount;
    }

    State state() {
        return state;
    }

    String error() {
        return error;
    }

    boolean finished() {
        return state == State.DONE || state == State.CANCELLED || state == State.FAILED;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void cancel() {
        cancelRequested = true;
        if (state == State.QUEUED) {
            end(State.CANCELLED, null);
        }
    }

    void running() {
        state = State.RUNNING;
    }

    List<byte[]> frames() {
        return frames;
    }

    byte[] strip() {
        return strip;
    }

    String manifest() {
        return manifest;
    }

    void addFrame(byte[] png) {
        frames.add(png);
    }

    void finish(byte[] stripPng, String manifestJson) {
        strip = stripPng;
        manifest = manifestJson;
        end(State.DONE, null);
    }

    void end(State end, String message) {
        state = end;
        error = message;
        emit(end == State.DONE ? "done" : end == State.CANCELLED ? "cancelled" : "error",
                "{\"state\": \"" + end.name().toLowerCase(java.util.Locale.ROOT) + "\"" + (message == null ? ""
                        : ", \"error\": " + quote(message)) + "}");
        streams.forEach(SseClient::close);
        streams.clear();
    }

    /** Sends an event to every open stream and keeps it for streams that join later. */
    synchronized void emit(String event, String json) {
        events.add(new String[] {event, json});
        for (SseClient s : streams) {
            if (s.terminated()) {
                streams.remove(s);
            } else {
                s.sendEvent(event, json);
            }
        }
    }

    /**
     * A new stream: every event so far, then the live ones (closed at once when the job has ended).
     * The replay and the registration happen under the job's lock, so no event is lost or sent
     * twice; waiting for the stream's end happens outside it.
     */
    void listen(SseClient client) {
        synchronized (this) {
            for (String[] e : events) {
                client.sendEvent(e[0], e[1]);
            }
            if (finished()) {
                client.close();
                return;
            }
            client.onClose(() -> streams.remove(client));
            streams.add(client);
        }
        client.keepAlive();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
