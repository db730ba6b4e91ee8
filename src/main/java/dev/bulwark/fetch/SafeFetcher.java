package dev.bulwark.fetch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Fetches a user-supplied URL without letting the user aim Bulwark at its own network. Each hop is
 * resolved once by {@link AddressPinner}; the TCP connection goes to that pinned address while the
 * Host header, SNI and certificate check use the URL's host name. Redirects are not followed by the
 * HTTP client but here, each one parsed strictly and checked like the first URL. Size and time are
 * bounded, and no cookies, credentials or caller headers are ever sent.
 */
public final class SafeFetcher implements AutoCloseable {
    static final String USER_AGENT = "Bulwark-Fetcher";

    /** What kind of body the caller will accept. */
    public enum Accept {
        ANY,
        /** {@code image/*} only: a URL given as an image must not be used to fetch anything else. */
        IMAGES
    }

    private final Vertx vertx;
    private final FetchPolicy policy;
    private final AddressPinner pinner;
    private final HttpClientAgent client;

    public SafeFetcher(Vertx vertx, FetchPolicy policy, Resolver resolver) {
        this(vertx, policy, resolver, null);
    }

    /** @param trust the certificate authorities to trust instead of the JDK's (tests, private stores) */
    SafeFetcher(Vertx vertx, FetchPolicy policy, Resolver resolver, TrustOptions trust) {
        this.vertx = vertx;
        this.policy = policy;
        this.pinner = new AddressPinner(resolver, policy);
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                // A connection is pinned to one hop's resolution; reusing it for a later hop could
                // carry a request to an address that hop never checked.
                .setKeepAlive(false)
                // Bytes are counted as they arrive; decompressing would let a small answer grow past the limit.
                .setDecompressionSupported(false)
                .setVerifyHost(true)
                .setMaxHeaderSize(16 * 1024);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.client = vertx.createHttpClient(options);
    }

    /** Fetches {@code target}; never fails, a problem is a {@link FetchResult.Refused}. */
    public Future<FetchResult> fetch(FetchTarget target, Accept accept) {
        return fetch(target, accept, hop -> true);
    }

    /**
     * Fetches {@code target}, following a redirect only to a hop {@code redirectAllowed} accepts (on
     * top of this fetcher's own address checks): the caller's policy for where a URL may lead.
     */
    public Future<FetchResult> fetch(FetchTarget target, Accept accept, java.util.function.Predicate<FetchTarget> redirectAllowed) {
        Context context = vertx.getOrCreateContext();
        Promise<FetchResult> done = Promise.promise();
        context.runOnContext(v -> new Attempt(context, accept, done, redirectAllowed).start(target));
        return done.future();
    }

    /** Parses {@code url} strictly and fetches it; a URL that cannot be fetched is refused, not thrown. */
    public Future<FetchResult> fetch(String url, Accept accept) {
        return fetch(url, accept, hop -> true);
    }

    /** As {@link #fetch(String, Accept)}, with the caller's test for every redirect hop. */
    public Future<FetchResult> fetch(String url, Accept accept, java.util.function.Predicate<FetchTarget> redirectAllowed) {
        Optional<FetchTarget> target = UrlReference.parseAbsolute(url);
        if (target.isEmpty()) {
            return Future.succeededFuture(new FetchResult.Refused("not an http(s) URL that can be fetched"));
        }
        return fetch(target.get(), accept, redirectAllowed);
    }

    @Override
    public void close() {
        client.close();
    }

    /** One fetch, all hops; every callback runs on {@code context}, so its fields need no locking. */
    private final class Attempt {
        private final Context context;
        private final Accept accept;
        private final Promise<FetchResult> done;
        private final long timer;
        private HttpClientRequest inFlight;
        private final java.util.function.Predicate<FetchTarget> redirectAllowed;
        private int redirects;

        Attempt(Context context, Accept accept, Promise<FetchResult> done, java.util.function.Predicate<FetchTarget> redirectAllowed) {
            this.redirectAllowed = redirectAllowed;
            this.context = context;
            this.accept = accept;
            this.done = done;
            this.timer = vertx.setTimer(policy.totalTimeout().toMillis(),
                    t -> refuse("the fetch took longer than " + policy.totalTimeout().toMillis() + " ms"));
        }

        void start(FetchTarget target) {
            // Resolution may block on DNS: a worker does it, the answer comes back to this context.
            context.<InetAddress>executeBlocking(() -> pinner.pin(target), false).onComplete(pinned -> {
                if (pinned.failed()) {
                    fail(pinned.cause());
                } else if (!done.future().isComplete()) {
                    send(target, pinned.result());
                }
            });
        }

        private void send(FetchTarget target, InetAddress pinned) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .set(HttpHeaders.USER_AGENT, USER_AGENT)
                    .set(HttpHeaders.ACCEPT, accept == Accept.IMAGES ? "image/*" : "*/*")
                    .set(HttpHeaders.ACCEPT_ENCODING, "identity");
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    // Host, port and TLS name come from the URL; the socket goes to the pinned address,
                    // so the HTTP client never resolves the name itself.
                    .setHost(target.host())
                    .setPort(target.port())
                    .setSsl(target.secure())
                    .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(pinned, target.port())))
                    .setURI(target.pathAndQuery())
                    .setHeaders(headers)
                    .setFollowRedirects(false)
                    .setConnectTimeout(policy.connectTimeout().toMillis());
            client.request(options)
                    .compose(request -> {
                        if (done.future().isComplete()) {
                            request.reset();
                            return Future.failedFuture("abandoned");
                        }
                        inFlight = request;
                        // Failures reach the send() future below; resetting on purpose is no error to log.
                        request.exceptionHandler(e -> { });
                        return request.send();
                    })
                    .onSuccess(response -> answer(target, response))
                    .onFailure(e -> refuse("could not fetch from " + target.host()));
        }

        private void answer(FetchTarget target, HttpClientResponse response) {
            if (done.future().isComplete()) {
                return;
            }
            HttpClientRequest request = response.request();
            // A connection lost mid-body fails the fetch; a reset we made ourselves (inFlight already
            // cleared, e.g. leaving a redirect's body unread) is not an error.
            response.exceptionHandler(e -> {
                if (inFlight == request) {
                    refuse("could not fetch from " + target.host());
                }
            });
            int status = response.statusCode();
            if (isRedirect(status)) {
                redirect(target, response.getHeader(HttpHeaders.LOCATION));
                return;
            }
            if (status != 200) {
                refuse(target.host() + " answered HTTP " + status);
                return;
            }
            String contentType = Optional.ofNullable(response.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
            if (accept == Accept.IMAGES && !isImage(contentType)) {
                refuse(target.host() + " did not answer with an image");
                return;
            }
            String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length)) {
                refuse(tooLarge());
                return;
            }
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                if (done.future().isComplete()) {
                    return;
                }
                if ((long) body.length() + chunk.length() > policy.maxBodyBytes()) {
                    // Stop reading now: the rest of an oversized body is never buffered.
                    refuse(tooLarge());
                    return;
                }
                body.appendBuffer(chunk);
            });
            response.endHandler(v -> {
                inFlight = null; // complete: nothing to reset, the connection closes by itself
                finish(new FetchResult.Fetched(contentType, body.getBytes()));
            });
        }

        private void redirect(FetchTarget from, String location) {
            if (redirects == policy.maxRedirects()) {
                refuse("more than " + policy.maxRedirects() + " redirects");
                return;
            }
            Optional<FetchTarget> next = location == null ? Optional.empty() : UrlReference.resolve(from, location);
            if (next.isEmpty()) {
                refuse(from.host() + " redirected to a URL that cannot be fetched");
                return;
            }
            if (from.secure() && !next.get().secure()) {
                refuse(from.host() + " redirected from https to http");
                return;
            }
            if (!redirectAllowed.test(next.get())) {
                refuse(from.host() + " redirected to a host this request may not reach");
                return;
            }
            redirects++;
            closeInFlight();
            // The new hop is checked from the start: its own resolution, its own pinned address.
            start(next.get());
        }

        private void fail(Throwable cause) {
            refuse(cause instanceof FetchRefusedException r ? r.getMessage() : "the fetch failed");
        }

        private void refuse(String reason) {
            finish(new FetchResult.Refused(reason));
        }

        private void finish(FetchResult result) {
            if (done.tryComplete(result)) {
                vertx.cancelTimer(timer);
                closeInFlight();
            }
        }

        private void closeInFlight() {
            HttpClientRequest r = inFlight;
            inFlight = null;
            if (r != null) {
                // Keep-alive is off, so resetting closes the connection and stops any unread body.
                r.reset();
            }
        }

        private String tooLarge() {
            return "the answer is larger than " + policy.maxBodyBytes() + " bytes";
        }

        private boolean tooLong(String length) {
            try {
                return Long.parseLong(length.trim()) > policy.maxBodyBytes();
            } catch (NumberFormatException e) {
                return true;
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** A media type that can be put in a data: URL as it is (no parameters, no separators). */
    private static final java.util.regex.Pattern IMAGE_TYPE = java.util.regex.Pattern.compile("image/[a-z0-9][a-z0-9.+-]{0,63}");

    /** {@code image/<subtype>}, parameters ignored. */
    public static boolean isImage(String contentType) {
        return imageType(contentType) != null;
    }

    /**
     * {@code contentType}'s {@code image/<subtype>}, lower case and without parameters, or null when
     * it is no plain image type (one that could be put in a {@code data:} URL as it is).
     */
    public static String imageType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return IMAGE_TYPE.matcher(type).matches() ? type : null;
    }
}
