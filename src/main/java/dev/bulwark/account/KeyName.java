package dev.bulwark.account;

/** Which of an account's two keys. ARM spells them Key1/Key2; listKeys answers key1/key2. */
public enum KeyName {
    KEY1("Key1", "key1"), KEY2("Key2", "key2");

    private final String armName;
    private final String jsonField;

    KeyName(String armName, String jsonField) {
        this.armName = armName;
        this.jsonField = jsonField;
    }

    public String armName() {
        return armName;
    }

    public String jsonField() {
        return jsonField;
    }

    public static KeyName parse(String s) {
        if (s != null) {
            for (KeyName k : values()) {
                if (k.armName.equalsIgnoreCase(s)) {
                    return k;
                }
            }
        }
        throw new AccountValidationException("InvalidKeyName", "keyName must be Key1 or Key2; got '" + s + "'");
    }
}
