package dev.avps.conform;

/**
 * One check's outcome.
 *
 * @param check  the check's stable name ({@code dev_reserved_config_zero}, {@code blk_ro_write_refused}...)
 * @param reason what was observed (always given for a failure, skip or not-checkable)
 * @param millis how long the check ran
 */
public record CheckResult(String check, Verdict verdict, String reason, long millis) {
    public CheckResult {
        reason = reason == null ? "" : reason;
    }
}
