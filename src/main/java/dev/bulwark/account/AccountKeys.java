package dev.bulwark.account;

/** Both keys of an account in clear, as listKeys answers them. toString() masks them. */
public record AccountKeys(String key1, String key2) {
    @Override
    public String toString() {
        return "AccountKeys[key1=****, key2=****]";
    }
}
