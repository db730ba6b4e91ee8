package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.fetch.FetchResult;
import dev.bulwark.fetch.SafeFetcher;
import dev.bulwark.service.UrlField;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * For deployments with {@code inlineRemoteImages}: fetches every remote image of a chat request
 * through the one {@link SafeFetcher} and puts it in the body as a {@code data:} URL, so the model
 * server never fetches anything a client named. All images of a request are fetched at once; the
 * body is only changed once every fetch has succeeded. Runs on the caller's event loop: the fetcher
 * never blocks it, and the callbacks come back to it, so the body is never touched by two threads.
 */
public final class ImageInliner {
    /** Azure OpenAI's own limit of images per chat request. */
    static final int MAX_IMAGES = 10;

    private final SafeFetcher fetcher;
    private final boolean allowHttp;
    private final long maxTotalBytes;

    /**
     * @param allowHttp     whether plain-http URLs are fetched (https always is)
     * @param maxTotalBytes the most image bytes one request may carry, all images together
     */
    public ImageInliner(SafeFetcher fetcher, boolean allowHttp, long maxTotalBytes) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.allowHttp = allowHttp;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Why a request's images could not be inlined; the message is safe to show the client. */
    public record Refusal(String code, String parameter, String message) {
    }

    /** One image to fetch: where it is in the body, and the object whose {@code field} gets the data: URL. */
    private record Remote(String parameter, String url, ObjectNode holder, String field) {
    }

    /**
     * Inlines {@code body}'s remote images in place. The future holds null when done (or when there
     * was nothing to fetch), a {@link Refusal} when the request must be answered 400; it never fails.
     */
    Future<Refusal> inline(ObjectNode body) {
        return inline(body, dev.bulwark.dlp.DlpPolicy.unrestricted());
    }

    /**
     * As {@link #inline(ObjectNode)}; with an account that restricts outbound access, every redirect
     * hop must also be a host its allowed list names (the body's URLs were checked already).
     */
    Future<Refusal> inline(ObjectNode body, dev.bulwark.dlp.DlpPolicy outbound) {
        List<Remote> remotes = new ArrayList<>();
        Refusal wrong = collect(body, remotes);
        if (wrong != null) {
            return Future.succeededFuture(wrong);
        }
        if (remotes.isEmpty()) {
            return Future.succeededFuture(null);
        }
        if (remotes.size() > MAX_IMAGES) {
            return Future.succeededFuture(new Refusal("TooManyImages", "messages",
                    "A request may carry at most " + MAX_IMAGES + " image URLs for this deployment to fetch; this one has "
                            + remotes.size() + "."));
        }
        List<Future<FetchResult>> fetches = new ArrayList<>(remotes.size());
        for (Remote r : remotes) {
            fetches.add(fetcher.fetch(r.url(), SafeFetcher.Accept.IMAGES,
                    hop -> dev.bulwark.dlp.DlpCheck.allows(hop.toString(), outbound)));
        }
        return Future.join(fetches).transform(done -> Future.succeededFuture(apply(remotes, fetches)));
    }

    /** Every fetch has ended: refuse on the first failure in body order, else put every image in. */
    private Refusal apply(List<Remote> remotes, List<Future<FetchResult>> fetches) {
        List<FetchResult.Fetched> images = new ArrayList<>(remotes.size());
        long total = 0;
        for (int i = 0; i < remotes.size(); i++) {
            Remote r = remotes.get(i);
            Future<FetchResult> f = fetches.get(i);
            // The fetcher answers a refusal rather than failing; a failed future is a bug, still answered as a refusal.
            FetchResult result = f.succeeded() ? f.result() : new FetchResult.Refused("the fetch failed");
            if (result instanceof FetchResult.Refused refused) {
                return refusal(r, refused.reason());
            }
            FetchResult.Fetched image = (FetchResult.Fetched) result;
            if (mediaType(image.contentType()) == null) {
                return refusal(r, "the answer's image type cannot be passed on");
            }
            total += image.bytes().length;
            if (total > maxTotalBytes) {
                return new Refusal("ImagesTooLarge", r.parameter(),
                        "The images of this request are larger than " + maxTotalBytes + " bytes together.");
            }
            images.add(image);
        }
        for (int i = 0; i < remotes.size(); i++) {
            Remote r = remotes.get(i);
            FetchResult.Fetched image = images.get(i);
            r.holder().put(r.field(), "data:" + mediaType(image.contentType()) + ";base64,"
                    + Base64.getEncoder().encodeToString(image.bytes()));
        }
        return null;
    }

    private static Refusal refusal(Remote r, String reason) {
        return new Refusal("InvalidImageUrl", r.parameter(),
                "The image URL for parameter '" + r.parameter() + "' could not be fetched: " + reason + ".");
    }

    /**
     * Finds every URL the chat operation declares ({@link OpenAiOperation#CHAT_COMPLETIONS}'s URL
     * fields, the ones the outbound URL check reads): {@code image_url}'s {@code url} (OpenAI's form)
     * is fetched; {@code data:} URLs stay as they are; anything else — another scheme, the string form
     * of {@code image_url}, a {@code file_url} or {@code video_url} — is refused, since passing it on
     * would leave the model server to fetch it.
     */
    private Refusal collect(ObjectNode body, List<Remote> out) {
        Refusal[] wrong = new Refusal[1];
        for (UrlField field : OpenAiOperation.CHAT_COMPLETIONS.urlFields()) {
            boolean image = field.path().endsWith(".image_url.url");
            field.forEachSlot(body, slot -> {
                if (wrong[0] != null || scheme(slot.value()).equals("data")) {
                    return;
                }
                String at = slot.parameter();
                if (slot.stringForm() && image) {
                    wrong[0] = new Refusal("InvalidImageUrl", at, "Parameter '" + at + "' must be an object with a 'url'.");
                } else if (!image || slot.holder() == null) {
                    wrong[0] = new Refusal("UnsupportedRemoteUrl", at, "The URL for parameter '" + at
                            + "' is not accepted: this deployment only fetches image URLs itself; send other content as a data: URL.");
                } else {
                    String scheme = scheme(slot.value());
                    if (scheme.equals("https") || (scheme.equals("http") && allowHttp)) {
                        out.add(new Remote(at, slot.value(), slot.holder(), slot.field()));
                    } else {
                        wrong[0] = new Refusal("InvalidImageUrl", at, "The image URL for parameter '" + at
                                + "' could not be fetched: " + (scheme.equals("http") ? "only https image URLs are fetched"
                                : "only https and data: image URLs are accepted") + ".");
                    }
                }
            });
            if (wrong[0] != null) {
                return wrong[0];
            }
        }
        return null;
    }

    private static String scheme(String url) {
        int colon = url.indexOf(':');
        return colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** The answer's {@code image/<subtype>} without parameters, or null when it is not one to pass on. */
    static String mediaType(String contentType) {
        return SafeFetcher.imageType(contentType);
    }
}
