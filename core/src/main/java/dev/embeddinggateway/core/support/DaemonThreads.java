package dev.embeddinggateway.core.support;

import java.util.concurrent.ThreadFactory;

/** Threads of the gateway's own background work: named for thread dumps, and daemons, so none keeps a JVM alive. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return work -> {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
