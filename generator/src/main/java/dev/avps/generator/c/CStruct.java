package dev.avps.generator.c;

import java.util.List;

/**
 * A struct declaration with what belongs around it.
 *
 * @param packed     whether C needs {@code __attribute__((packed))} to lay it out as the spec does
 * @param checked    members whose offsetof the portable header asserts (START-based, fixed place)
 * @param bitMacros  masks of named bit ranges inside its scalar fields
 * @param trailing   for request parts: macros placing fields C cannot express (after a flexible
 *                   array, counted from the end of the part)
 * @param outline    for request parts: every field of the part in words, for the comment
 * @param tailAccessors for request parts: accessors of scalar fields placed from the end of the
 *                   part (the status byte), which take the part's buffer and length
 */
public record CStruct(String name, String doc, boolean packed, List<CMember> members, int size, boolean variable,
        List<CMember> checked, List<CMacro> bitMacros, List<CMacro> trailing, List<String> outline,
        List<CAccessor> accessors, List<CAccessor> tailAccessors) {

    /** Whether there is a struct to declare at all (a request part may have no fixed prefix). */
    public boolean declared() {
        return !members.isEmpty();
    }
}
