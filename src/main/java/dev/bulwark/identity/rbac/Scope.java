package dev.bulwark.identity.rbac;

/**
 * Where a role assignment applies: {@code /} (everything), {@code /accounts/<name>} (one account),
 * or something narrower under an account ({@code /accounts/<name>/deployments/gpt}); and the built-in
 * vault, {@code /vault}, or one secret or key in it ({@code /vault/secrets/<name>}). An assignment
 * at a scope applies to that scope and everything under it, segment by segment:
 * {@code /accounts/a} covers {@code /accounts/a/x} but not {@code /accounts/ab}.
 *
 * <p>Scopes are compared exactly (case-sensitive): account names are lower case by rule, and the
 * narrower segments name things (deployments) whose names are case-sensitive. Validation is strict
 * so that no two spellings name the same place: no {@code .} or {@code ..} segments, no empty
 * segments, no trailing slash (except {@code /} itself), at most {@value #MAX_LENGTH} characters.
 * {@link #isValid} and {@link #covers} allocate nothing: the data plane calls them per request.
 */
public final class Scope {
    public static final String ROOT = "/";
    public static final int MAX_LENGTH = 512;
    private static final String ACCOUNTS = "/accounts/";
    /** The built-in vault; narrower scopes name one secret or key, {@code /vault/secrets/<name>}. */
    public static final String VAULT = "/vault";

    private Scope() {
    }

    /** The scope of one account, {@code /accounts/<name>} (the account's resource id). */
    public static String ofAccount(String account) {
        return ACCOUNTS + account;
    }

    public static boolean isValid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        if (s.equals(ROOT)) {
            return true;
        }
        int end;
        if (s.startsWith(VAULT) && (s.length() == VAULT.length() || s.charAt(VAULT.length()) == '/')) {
            end = VAULT.length();
        } else {
            if (!s.startsWith(ACCOUNTS)) {
                return false;
            }
            int i = ACCOUNTS.length();
            end = s.indexOf('/', i);
            if (end < 0) {
                end = s.length();
            }
            if (!isAccountName(s, i, end)) {
                return false;
            }
        }
        // Narrower segments: 1+ URL-unreserved characters each, never "." or "..".
        while (end < s.length()) {
            int start = end + 1;
            end = s.indexOf('/', start);
            if (end < 0) {
                end = s.length();
            }
            if (!isSegment(s, start, end)) {
                return false;
            }
        }
        return true;
    }

    /** The scope itself, or a 400 {@code InvalidScope}. */
    public static String validate(String s) {
        if (!isValid(s)) {
            throw RbacException.invalid("InvalidScope", "scope '" + printable(s) + "' is not valid: use '/', '/accounts/<name>', '/vault' "
                    + "or a path under an account such as '/accounts/<name>/deployments/<deployment>' "
                    + "(no '.' or '..' segments, no empty segments, no trailing '/', at most " + MAX_LENGTH + " characters)");
        }
        return s;
    }

    /** True if an assignment at {@code ancestor} applies at {@code scope}: the same scope or one under it. Both must be valid. */
    public static boolean covers(String ancestor, String scope) {
        if (ancestor.equals(ROOT)) {
            return true;
        }
        int n = ancestor.length();
        return scope.startsWith(ancestor) && (scope.length() == n || scope.charAt(n) == '/');
    }

    /** The account a scope lies in, or null for {@code /} and the vault. The scope must be valid. */
    public static String accountOf(String scope) {
        if (scope.equals(ROOT) || !scope.startsWith(ACCOUNTS)) {
            return null;
        }
        int end = scope.indexOf('/', ACCOUNTS.length());
        return scope.substring(ACCOUNTS.length(), end < 0 ? scope.length() : end);
    }

    /** Same rule as {@code account.AccountName}: a DNS label of 2-63 lower-case letters, digits and inner hyphens. */
    private static boolean isAccountName(String s, int from, int to) {
        int n = to - from;
        if (n < 2 || n > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSegment(String s, int from, int to) {
        int n = to - from;
        if (n == 0 || (n == 1 && s.charAt(from) == '.') || (n == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.')) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 100 ? b + "..." : b.toString();
    }
}
