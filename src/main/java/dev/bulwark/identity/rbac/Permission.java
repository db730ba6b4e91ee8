package dev.bulwark.identity.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * What a role allows: management {@code actions} minus {@code notActions}, and data-plane
 * {@code dataActions} minus {@code notDataActions}. A "not" list only narrows its own role; it is
 * not a deny (another role assigned to the same caller can still grant what it subtracts), as in
 * Azure. Entries may use {@code *} anywhere; see {@link ActionPattern}.
 */
public record Permission(List<String> actions, List<String> notActions, List<String> dataActions, List<String> notDataActions) {
    public static final int MAX_ENTRIES = 500;

    public Permission {
        actions = checked(actions, "actions");
        notActions = checked(notActions, "notActions");
        dataActions = checked(dataActions, "dataActions");
        notDataActions = checked(notDataActions, "notDataActions");
    }

    public static Permission ofActions(List<String> actions, List<String> notActions) {
        return new Permission(actions, notActions, List.of(), List.of());
    }

    /** True if the role could never allow anything (no actions and no data actions). */
    public boolean grantsNothing() {
        return actions.isEmpty() && dataActions.isEmpty();
    }

    private static List<String> checked(List<String> entries, String field) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_ENTRIES) {
            throw RbacException.invalid("InvalidActionOrNotAction", field + " may hold at most " + MAX_ENTRIES + " entries");
        }
        List<String> out = new ArrayList<>(entries.size());
        for (String e : entries) {
            out.add(ActionPattern.validate(e, field));
        }
        return List.copyOf(out);
    }
}
