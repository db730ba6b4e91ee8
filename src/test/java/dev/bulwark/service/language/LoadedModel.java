package dev.bulwark.service.language;

/**
 * The model is immutable and takes ~1.5 s to load, so test classes share one load of each through
 * these holders (initialised on first use, never changed).
 */
final class LoadedModel {

    private LoadedModel() {
    }

    static LanguageDetector detector() {
        return DetectorHolder.DETECTOR;
    }

    static LanguageService service() {
        return ServiceHolder.SERVICE;
    }

    private static final class DetectorHolder {
        static final LanguageDetector DETECTOR = LanguageDetector.loadBundled();
    }

    private static final class ServiceHolder {
        static final LanguageService SERVICE = LanguageService.load();
    }
}
