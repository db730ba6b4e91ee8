package dev.bulwark.service.language;

import dev.bulwark.service.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in Language service: {@code POST /language/:analyze-text} for
 * {@code "kind":"LanguageDetection"}, wire-compatible with Azure AI Language so that the Azure SDK's
 * {@code TextAnalyticsClient.detectLanguage}/{@code detectLanguageBatch} work unchanged.
 *
 * <p>Pipeline of one request, in order: api-version check (404 as Azure's gateway), body parsing
 * and whole-request validation (400, {@link AnalyzeTextRequest}), then per document: text present,
 * text within {@link #MAX_TEXT_ELEMENTS}, country hint valid (each a per-document error that
 * leaves the rest of the batch answered), and detection ({@link LanguageDetector}).
 *
 * <p>Every input gets a 2xx or 4xx answer; nothing thrown escapes. Pure CPU, no I/O, no logging of
 * document text. Thread-safe after {@link #load()}.
 */
public final class LanguageService {

    /**
     * Most documents in one request: Azure's limit for language detection (1,000; other Language
     * features allow 5 to 25). More is a 400 {@code InvalidDocumentBatch}.
     */
    public static final int MAX_DOCUMENTS = 1000;

    /**
     * Longest document, in text elements (grapheme clusters, as .NET's
     * {@code StringInfo.LengthInTextElements} counts): Azure's limit for synchronous requests
     * (5,120). A longer document gets a per-document {@code InvalidDocument} error; the others are
     * still answered. The whole body's size is limited by the caller, before this service.
     */
    public static final int MAX_TEXT_ELEMENTS = 5120;

    /** Azure uses "US" when a document has no countryHint; "" or "none" turn hinting off. */
    static final String DEFAULT_COUNTRY_HINT = "US";

    private final LanguageDetector detector;

    private LanguageService(LanguageDetector detector) {
        this.detector = detector;
    }

    /** A request that touches every stage, used to warm the service up before it is handed out. */
    private static final byte[] WARM_UP = ("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bulwark is ready.\"}]}}").getBytes(StandardCharsets.UTF_8);

    /**
     * The process's one loaded service. The model is immutable, so every Bulwark in a process (one
     * in production; many in a test run) shares it instead of holding its own copy of hundreds of
     * megabytes.
     */
    public static LanguageService shared() {
        return Shared.SERVICE;
    }

    private static final class Shared {
        static final LanguageService SERVICE = load();
    }

    /** Loads the model once; takes ~1-2 s. Thread-safe afterwards. */
    public static LanguageService load() {
        // Loading the model takes most of the time. What the first request would otherwise pay for
        // on top (CLDR locale data for country hints, ~0.3 s; Jackson's first parse, up to ~0.9 s
        // in a cold JVM) is initialised beside it on another thread.
        Thread statics = Thread.ofVirtual().name("language-warm-up").start(LanguageService::initialiseStatics);
        LanguageService service = new LanguageService(LanguageDetector.loadBundled());
        try {
            statics.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the first request will just be slower
        }
        service.analyzeText(ApiVersions.FIRST, WARM_UP);
        return service;
    }

    private static void initialiseStatics() {
        CountryLanguages.languagesOf(DEFAULT_COUNTRY_HINT);
        try {
            AnalyzeTextRequest.parse(WARM_UP);
        } catch (InvalidRequestException e) {
            throw new IllegalStateException("the warm-up request is valid", e);
        }
    }

    /**
     * Handles POST /language/:analyze-text.
     *
     * @param apiVersion the api-version query value (may be null)
     * @param body       raw request bytes, already size-limited by the caller
     */
    public ServiceResponse analyzeText(String apiVersion, byte[] body) {
        if (!ApiVersions.isSupported(apiVersion)) {
            return LanguageDetectionResponse.error(LanguageError.unsupportedApiVersion(apiVersion));
        }
        AnalyzeTextRequest request;
        try {
            request = AnalyzeTextRequest.parse(body);
        } catch (InvalidRequestException e) {
            return LanguageDetectionResponse.error(e.error());
        }
        List<LanguageDetectionResponse.Outcome> outcomes = new ArrayList<>(request.documents().size());
        for (AnalyzeTextRequest.Document document : request.documents()) {
            outcomes.add(answer(document));
        }
        return LanguageDetectionResponse.results(outcomes);
    }

    private LanguageDetectionResponse.Outcome answer(AnalyzeTextRequest.Document document) {
        String text = document.text();
        if (text == null || text.isEmpty()) {
            return new LanguageDetectionResponse.Failed(document.id(), LanguageError.emptyText());
        }
        if (TextElements.exceeds(text, MAX_TEXT_ELEMENTS)) {
            return new LanguageDetectionResponse.Failed(document.id(), LanguageError.textTooLong());
        }
        String hint = document.countryHint();
        String country;
        if (hint == null) {
            country = DEFAULT_COUNTRY_HINT;
        } else if (hint.isEmpty() || hint.toLowerCase(Locale.ROOT).equals("none")) {
            country = null;
        } else if (CountryLanguages.isCountry(hint)) {
            country = hint;
        } else {
            return new LanguageDetectionResponse.Failed(document.id(), LanguageError.invalidCountryHint());
        }
        return new LanguageDetectionResponse.Detected(document.id(), detector.detect(text, country));
    }
}
