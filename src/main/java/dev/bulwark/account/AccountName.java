package dev.bulwark.account;

import java.util.regex.Pattern;

/**
 * Account names are DNS labels, because they become host names ({@code <name>.<base-domain>}) and
 * path segments: 2-63 characters, lower-case letters, digits and hyphens, no hyphen at either end.
 */
public final class AccountName {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])");

    private AccountName() {
    }

    public static String validate(String name) {
        if (name == null || !LABEL.matcher(name).matches()) {
            throw new AccountValidationException("InvalidAccountName",
                    "account name must be 2-63 characters of lower-case letters, digits and hyphens, "
                            + "starting and ending with a letter or digit");
        }
        return name;
    }

    /** The same check without an exception, for the data plane. */
    public static boolean isValid(String name) {
        return name != null && LABEL.matcher(name).matches();
    }
}
