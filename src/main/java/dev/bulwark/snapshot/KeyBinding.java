package dev.bulwark.snapshot;

import dev.bulwark.account.KeyName;

/** The account and slot a key digest belongs to. */
public record KeyBinding(String account, KeyName keyName) {
}
