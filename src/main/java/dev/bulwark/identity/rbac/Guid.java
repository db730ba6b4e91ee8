package dev.bulwark.identity.rbac;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Role definition and assignment ids: GUIDs, stored and compared in lower case. */
final class Guid {
    private static final Pattern FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Guid() {
    }

    static boolean isValid(String s) {
        return s != null && FORM.matcher(s).matches();
    }

    /** The lower-case form, or a 400 with {@code code}. */
    static String require(String s, String code, String what) {
        if (!isValid(s)) {
            throw RbacException.invalid(code, what + " must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    static String random() {
        return UUID.randomUUID().toString();
    }
}
