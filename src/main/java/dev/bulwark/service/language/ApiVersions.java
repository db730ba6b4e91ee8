package dev.bulwark.service.language;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code api-version} values the {@code :analyze-text} route answers.
 *
 * <p>Accepted: any well-formed dated version from {@value #FIRST} on, with or without a
 * {@code -preview} suffix. The request and response shapes for language detection have not
 * changed incompatibly since the Language API's first stable version (later versions only add
 * optional fields), so a newer SDK that sends a version we have not seen still gets a correct
 * answer. Earlier dated versions (the 2021/2022 previews) had other shapes and are refused, as
 * are the Text Analytics v3 paths, which are not this route.
 */
final class ApiVersions {

    /** The first stable Language API version; the one Azure SDKs call {@code V2022_05_01}. */
    static final String FIRST = "2022-05-01";

    static final String DESCRIPTION = FIRST + ", 2023-04-01 and later dated versions (YYYY-MM-DD, optionally -preview)";

    private static final Pattern DATED = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(-preview)?");
    private static final LocalDate FIRST_DATE = LocalDate.parse(FIRST);

    private ApiVersions() {
    }

    /** True when the route answers this api-version; null (absent) is not supported. */
    static boolean isSupported(String apiVersion) {
        if (apiVersion == null) {
            return false;
        }
        Matcher m = DATED.matcher(apiVersion);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            return !date.isBefore(FIRST_DATE);
        } catch (DateTimeException e) {
            return false; // e.g. 2023-02-30
        }
    }
}
