package dev.bulwark.service.language;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.LanguageDetectorContextGenerator;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.ml.model.MaxentModel;
import opennlp.tools.util.normalizer.AggregateCharSequenceNormalizer;
import opennlp.tools.util.normalizer.CharSequenceNormalizer;
import opennlp.tools.util.normalizer.TwitterCharSequenceNormalizer;
import opennlp.tools.util.normalizer.UrlCharSequenceNormalizer;

/**
 * Detects the language of one text with the OpenNLP language model that ships inside
 * {@code tika-langdetect-opennlp} (148 outcomes, trained with OpenNLP 1.9.3 on 2021-04-13), and
 * turns the model's scores into an answer Azure would give: a language and a confidence that
 * means something, or {@code (Unknown)}.
 *
 * <h2>Why the scores need calibrating</h2>
 * The model is a maximum-entropy classifier over character 1-3-grams whose output is nearly flat:
 * even for a long, clearly German sentence the top probability is about 0.03 against 1/148 for
 * every language, and {@code "ok"} scores about 0.007 everywhere. The ranking is good; the numbers
 * are not confidences. So the answer is computed as follows, each step with a documented constant:
 * <ol>
 *   <li><b>Evidence.</b> URLs, e-mail addresses, @mentions, #hashtags and emoticons are removed (they
 *       carry no language). No letter left, or no n-gram for the model: {@code (Unknown)}.</li>
 *   <li><b>Sharpen.</b> Each language's log-probability is multiplied by {@link #SHARPNESS} before
 *       renormalising ({@code q ∝ p^SHARPNESS}). The gaps between log-probabilities grow with the
 *       amount of text, so one constant gives ~1.0 for an ordinary sentence and stays near-uniform
 *       for two or three letters: short text is honestly uncertain, not artificially so.</li>
 *   <li><b>Prior.</b> Languages Azure never answers with (Waray, Volapük, Low German, ...) are
 *       weighted by {@link #UNLISTED_PRIOR}: on short text the model often ranks them level with
 *       English or French, and an Azure-compatible service should lean to what Azure returns.</li>
 *   <li><b>Merge.</b> Outcomes for one language are summed (Standard and macro Estonian,
 *       romanised and native Hindi, Mandarin and Simplified and Traditional Chinese, ...).
 *       For Chinese, the script is then chosen by the model's own Simplified-vs-Traditional scores.</li>
 *   <li><b>Country hint.</b> Only when the best language is below {@link #HINT_APPLIES_BELOW} (as
 *       Azure documents), languages used in the hinted country are weighted by {@link #HINT_WEIGHT}.
 *       A clear result is never overturned; a near tie ("communication": English or French?) is
 *       settled the way the caller's country suggests.</li>
 *   <li><b>Unknown.</b> A best confidence below {@link #UNKNOWN_BELOW} is too close to a guess to
 *       name a language: the answer is {@code (Unknown)} with confidence 0.0, as Azure's.</li>
 * </ol>
 * The constants were set on the corpora in this package's tests: one ordinary sentence in each of
 * 52 languages, all answered right at 0.8 or more (the model's hard pairs are noted in
 * {@code LanguageDetectorTest}), and short or ambiguous inputs, none answered at 0.5 or more with
 * any country hint, and those without letters always {@code (Unknown)}.
 *
 * <p>Thread-safe: the model is read-only after loading and every call allocates its own buffers.
 */
final class LanguageDetector {

    /** The model file inside the tika-langdetect-opennlp jar. */
    static final String MODEL_RESOURCE = "opennlp-langdetect-20210413.bin";

    /** What {@code modelVersion} reports and accepts (besides "latest"): the model's training date. */
    static final String MODEL_VERSION = "2021-04-13";

    /** Exponent applied to the model's probabilities; see the class comment, step 2. */
    static final double SHARPNESS = 30.0;

    /** Weight of languages Azure does not list; see the class comment, step 3. */
    static final double UNLISTED_PRIOR = 0.25;

    /** A country hint is considered only when the best confidence is below this (Azure: 0.8). */
    static final double HINT_APPLIES_BELOW = 0.8;

    /** Weight of the hinted country's languages when the hint applies. */
    static final double HINT_WEIGHT = 4.0;

    /** Below this confidence the answer is {@code (Unknown)}. */
    static final double UNKNOWN_BELOW = 0.25;

    /**
     * Endings of web addresses written without a scheme ("example.com/x"), which OpenNLP's URL
     * normaliser misses. Checked per whitespace-separated token, in linear time: a regular
     * expression with a repeated group here overflowed the stack on input like "a.a.a.a...".
     */
    private static final List<String> WEB_DOMAIN_ENDINGS = List.of(".com", ".net", ".org", ".io", ".dev", ".gov",
            ".edu", ".info", ".biz");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Removes what carries no language before letters are counted and n-grams taken. */
    private static final CharSequenceNormalizer NO_LANGUAGE = new AggregateCharSequenceNormalizer(
            UrlCharSequenceNormalizer.getInstance(), TwitterCharSequenceNormalizer.getInstance());

    private final MaxentModel model;
    private final LanguageDetectorContextGenerator contexts;
    /** Per outcome: index into {@link #families}. */
    private final int[] familyOf;
    /** Per outcome: prior weight. */
    private final double[] prior;
    /** Per family: the answer (for Chinese, the Simplified one; see {@link #chineseFamily}). */
    private final List<LanguageNames.AzureLanguage> families;
    private final int chineseFamily;
    private final int simplifiedOutcome;
    private final int traditionalOutcome;

    private LanguageDetector(LanguageDetectorModel loaded) {
        this.model = loaded.getMaxentModel();
        this.contexts = loaded.getFactory().getContextGenerator();
        int outcomes = model.getNumOutcomes();
        this.familyOf = new int[outcomes];
        this.prior = new double[outcomes];
        this.families = new ArrayList<>();
        Map<String, Integer> familyIndex = new HashMap<>();
        for (int i = 0; i < outcomes; i++) {
            LanguageNames.AzureLanguage language = LanguageNames.forOutcome(model.getOutcome(i));
            Integer index = familyIndex.get(language.family());
            if (index == null) {
                index = families.size();
                familyIndex.put(language.family(), index);
                families.add(language);
            }
            familyOf[i] = index;
            prior[i] = language.listedByAzure() ? 1.0 : UNLISTED_PRIOR;
        }
        this.chineseFamily = familyIndex.getOrDefault("zh", -1);
        this.simplifiedOutcome = model.getIndex("zho-simp");
        this.traditionalOutcome = model.getIndex("zho-trad");
        if (chineseFamily < 0 || simplifiedOutcome < 0 || traditionalOutcome < 0) {
            throw new IllegalStateException("language model lacks the Chinese outcomes this service relies on");
        }
    }

    /** Loads the model bundled in tika-langdetect-opennlp; about 1.5 s and 80 MB of heap. */
    static LanguageDetector loadBundled() {
        ClassLoader loader = LanguageDetector.class.getClassLoader();
        try (InputStream raw = loader.getResourceAsStream(MODEL_RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException(MODEL_RESOURCE + " not on the classpath (tika-langdetect-opennlp missing?)");
            }
            return new LanguageDetector(new LanguageDetectorModel(new BufferedInputStream(raw, 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the language model " + MODEL_RESOURCE, e);
        }
    }

    /**
     * Detects the language of {@code text}.
     *
     * @param country ISO 3166-1 alpha-2 code whose languages win near ties, or null for no hint
     */
    DetectedLanguage detect(String text, String country) {
        String evidence = NO_LANGUAGE.normalize(withoutBareWebAddresses(text)).toString();
        if (!hasLetter(evidence)) {
            return DetectedLanguage.UNKNOWN;
        }
        String[] ngrams = contexts.getContext(evidence);
        if (ngrams.length == 0) {
            return DetectedLanguage.UNKNOWN;
        }
        double[] probabilities = model.eval(ngrams);
        double[] confidence = familyConfidences(probabilities);
        int best = argmax(confidence);
        if (country != null && confidence[best] < HINT_APPLIES_BELOW) {
            applyHint(confidence, CountryLanguages.languagesOf(country));
            best = argmax(confidence);
        }
        if (confidence[best] < UNKNOWN_BELOW) {
            return DetectedLanguage.UNKNOWN;
        }
        LanguageNames.AzureLanguage language = families.get(best);
        if (best == chineseFamily && probabilities[traditionalOutcome] > probabilities[simplifiedOutcome]) {
            language = LanguageNames.CHINESE_TRADITIONAL;
        }
        return new DetectedLanguage(language.name(), language.iso6391Name(), round2(confidence[best]));
    }

    /** Steps 2-4 of the class comment: sharpened, prior-weighted probabilities summed per family. */
    private double[] familyConfidences(double[] probabilities) {
        double maxLog = Double.NEGATIVE_INFINITY;
        for (double p : probabilities) {
            maxLog = Math.max(maxLog, Math.log(p));
        }
        double[] family = new double[families.size()];
        double total = 0;
        for (int i = 0; i < probabilities.length; i++) {
            // Relative to the best outcome, so exp() cannot overflow; a zero probability gives 0.
            double weight = Math.exp(SHARPNESS * (Math.log(probabilities[i]) - maxLog)) * prior[i];
            family[familyOf[i]] += weight;
            total += weight;
        }
        for (int f = 0; f < family.length; f++) {
            family[f] /= total;
        }
        return family;
    }

    private void applyHint(double[] confidence, Set<String> hinted) {
        double total = 0;
        for (int f = 0; f < confidence.length; f++) {
            if (hinted.contains(families.get(f).family())) {
                confidence[f] *= HINT_WEIGHT;
            }
            total += confidence[f];
        }
        for (int f = 0; f < confidence.length; f++) {
            confidence[f] /= total;
        }
    }

    /** {@code text} without tokens like "www.example.com/x", "example.org," or "x://y". */
    static String withoutBareWebAddresses(String text) {
        if (text.indexOf('.') < 0 && !text.contains("://")) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length());
        for (String token : WHITESPACE.split(text)) {
            if (!isBareWebAddress(token)) {
                kept.append(token).append(' ');
            }
        }
        return kept.toString();
    }

    private static boolean isBareWebAddress(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (lower.startsWith("www.") || lower.contains("://")) {
            return true; // the latter also catches what OpenNLP's stricter URL pattern lets through
        }
        int hostEnd = lower.length();
        for (char c : new char[] {'/', '?', '#', ':'}) {
            int at = lower.indexOf(c);
            if (at >= 0 && at < hostEnd) {
                hostEnd = at;
            }
        }
        String host = lower.substring(0, hostEnd);
        while (!host.isEmpty() && ",;.!)\"'".indexOf(host.charAt(host.length() - 1)) >= 0) {
            host = host.substring(0, host.length() - 1);
        }
        int dot = host.lastIndexOf('.');
        return dot > 0 && WEB_DOMAIN_ENDINGS.contains(host.substring(dot));
    }

    private static boolean hasLetter(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isLetter(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Azure reports two decimals (0.62, 1.0). */
    private static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
