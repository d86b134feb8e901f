package io.ephemera.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load: {@code requests} GETs at about {@code rate} per second with at most
 * {@code concurrency} in flight, over keep-alive connections. Stops by itself.
 */
final class Load {

    final int ok;
    final int failed;
    final long millis;

    private Load(int ok, int failed, long millis) {
        this.ok = ok;
        this.failed = failed;
        this.millis = millis;
    }

    static Load run(URI uri, int requests, double rate, int concurrency) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, Threads.named("load"));
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        for (int i = 0; i < requests; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            pool.execute(() -> {
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(concurrency);
        pool.shutdown();
        return new Load(ok.get(), failed.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Override
    public String toString() {
        return ok + " ok, " + failed + " failed in " + millis + " ms";
    }
}
