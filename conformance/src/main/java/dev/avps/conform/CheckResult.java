package dev.avps.conform;

import java.util.List;

/**
 * One check's outcome.
 *
 * @param check  the check's stable name ({@code dev_reserved_config_zero}, {@code blk_ro_write_refused}...)
 * @param covers the requirement IDs the check covers
 * @param reason what was observed (always given for a failure, skip or not-checkable)
 * @param millis how long the check ran
 */
public record CheckResult(String check, List<String> covers, Verdict verdict, String reason, long millis) {
    public CheckResult {
        covers = List.copyOf(covers);
        reason = reason == null ? "" : reason;
    }
}
