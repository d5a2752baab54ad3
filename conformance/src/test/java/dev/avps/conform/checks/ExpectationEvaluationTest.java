package dev.avps.conform.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.conform.CheckFailure;
import dev.avps.conform.Inapplicable;
import dev.avps.conform.Verdict;
import dev.avps.conform.model.Catalog;
import dev.avps.model.Expectation;
import dev.avps.model.RequirementModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How an inline expectation is judged against config bytes: unsigned values, bounds made of
 * fields and constants, absent fields and unmet {@code when}s skipped, failures that say what was
 * read against what.
 */
class ExpectationEvaluationTest {

    private static final String SPEC = """
            package t;
            /** A device for the evaluator. */
            device dev {
                id 99;
                spec "1.4";
                features { /** s */ bit 0 SEG; /** b */ bit 1 BIG; }
                config cfg {
                    le64 cid;
                    le32 seg when SEG;
                    le32 top;
                    u8 mode;
                }
                const UNIT : le32 = 512;
                requirement r_cid device MUST section "1" "x." expect config cid <= 0xfffffffe, config cid >= 3;
                requirement r_seg device MUST section "1" "x." expect config top <= seg * UNIT / 512;
                requirement r_when device MUST section "1" "x." expect config mode == 2 when BIG;
                requirement r_div device MUST section "1" "x." expect config top > UNIT / mode;
                requirement r_both device MUST section "1" "x." expect config mode != 0 checked by r_by_hand;
            }
            """;

    private static final long SEG = 1, BIG = 2;

    private static Expectation expectation(String requirement, int i) throws Exception {
        Catalog c = Catalog.fromText("dev", "dev.avps", SPEC);
        RequirementModel r = c.device().requirements().stream().filter(q -> q.id().equals(requirement)).findFirst()
                .orElseThrow();
        return r.expectations().get(i);
    }

    /** cid 0..8, seg 8..12, top 12..16, mode 16: the config of the spec above, little-endian. */
    private static byte[] config(long cid, long seg, long top, int mode) {
        byte[] b = new byte[17];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (cid >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[8 + i] = (byte) (seg >>> (8 * i));
            b[12 + i] = (byte) (top >>> (8 * i));
        }
        b[16] = (byte) mode;
        return b;
    }

    @Test
    void valuesCompareUnsignedAndAFailureSaysWhatWasRead() throws Exception {
        Expectation upper = expectation("r_cid", 0);
        assertEquals("cid = 5 (<= 4294967294)", ExpectationChecks.evaluate(upper, config(5, 0, 0, 0), SEG));
        CheckFailure f = assertThrows(CheckFailure.class,
                () -> ExpectationChecks.evaluate(upper, config(-1L, 0, 0, 0), SEG));
        assertEquals("cid = 18446744073709551615, expected <= 4294967294", f.getMessage());
        Expectation lower = expectation("r_cid", 1);
        assertThrows(CheckFailure.class, () -> ExpectationChecks.evaluate(lower, config(2, 0, 0, 0), SEG));
    }

    @Test
    void aBoundReadsOtherFieldsAndConstants() throws Exception {
        Expectation e = expectation("r_seg", 0);
        assertEquals("top = 40 (<= ((seg * UNIT) / 512) = 40)", ExpectationChecks.evaluate(e, config(3, 40, 40, 0), SEG));
        CheckFailure f = assertThrows(CheckFailure.class,
                () -> ExpectationChecks.evaluate(e, config(3, 40, 41, 0), SEG));
        assertEquals("top = 41, expected <= ((seg * UNIT) / 512) = 40", f.getMessage());
    }

    @Test
    void anAbsentOperandOrAnUnmetWhenSkips() throws Exception {
        Inapplicable absent = assertThrows(Inapplicable.class,
                () -> ExpectationChecks.evaluate(expectation("r_seg", 0), config(3, 0, 0, 0), 0));
        assertEquals(Verdict.SKIPPED, absent.verdict());
        assertTrue(absent.getMessage().startsWith("seg is not present with the negotiated features 0x0 (needs SEG)"),
                absent.getMessage());
        Expectation when = expectation("r_when", 0);
        Inapplicable unmet = assertThrows(Inapplicable.class,
                () -> ExpectationChecks.evaluate(when, config(3, 0, 0, 7), SEG));
        assertTrue(unmet.getMessage().startsWith("'when BIG' does not hold"), unmet.getMessage());
        assertThrows(CheckFailure.class, () -> ExpectationChecks.evaluate(when, config(3, 0, 0, 7), SEG | BIG));
        assertEquals("mode = 2 (== 2)", ExpectationChecks.evaluate(when, config(3, 0, 0, 2), BIG));
    }

    @Test
    void aBoundDividingByZeroIsNoVerdict() throws Exception {
        Inapplicable zero = assertThrows(Inapplicable.class,
                () -> ExpectationChecks.evaluate(expectation("r_div", 0), config(3, 0, 9, 0), 0));
        assertTrue(zero.getMessage().contains("divides by zero"), zero.getMessage());
        assertEquals("top = 9 (> (UNIT / mode) = 8)", ExpectationChecks.evaluate(expectation("r_div", 0),
                config(3, 0, 9, 64), 0));
    }

    @Test
    void theFamilyMakesOneCheckPerRequirementNamedAfterIt() throws Exception {
        Catalog c = Catalog.fromText("dev", "dev.avps", SPEC);
        ExpectationChecks family = new ExpectationChecks();
        assertTrue(family.appliesTo(c.device()));
        assertEquals(List.of("r_cid_expect", "r_seg_expect", "r_when_expect", "r_div_expect", "r_both_expect"),
                family.checks(c.device()).stream().map(ch -> ch.name()).toList());
        RequirementModel both = c.device().requirements().get(4);
        assertEquals(List.of("r_both_expect", "r_by_hand"), both.checkNames());
    }
}
