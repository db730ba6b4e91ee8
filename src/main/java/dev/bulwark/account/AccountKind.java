package dev.bulwark.account;

/** The account kinds Bulwark serves, with ARM's names. */
public enum AccountKind {
    TextAnalytics, OpenAI, AIServices;

    public static AccountKind parse(String s) {
        for (AccountKind k : values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new AccountValidationException("InvalidKind", "kind must be one of TextAnalytics, OpenAI, AIServices; got '" + s + "'");
    }
}
