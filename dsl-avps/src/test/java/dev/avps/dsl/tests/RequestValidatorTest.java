package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests and their selectors. Each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class RequestValidatorTest {

    private static final String Q = "queues { /** q */ queue q driver-to-device; }\n";

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private Model dev(String members) {
        return specs.parseDevice(members);
    }

    @Test
    void readableAfterWritable() {
        v.assertError(dev(Q + "/** r */ request r on q { readable le32 a; writable u8 s; readable u8 late; }"), FIELD,
                IssueCodes.READABLE_AFTER_WRITABLE, "'late' follows writable field 's'");
        v.assertNoErrors(dev(Q + "/** r */ request r on q { readable le32 a; readable u8 b[]; writable u8 s; }"));
    }

    @Test
    void discriminatorMustBeAReadableScalar() {
        v.assertError(dev(Q + "/** h */ struct h { le32 t; }\n/** r */ request r on q where hd == 1 { readable h hd; }"),
                FIELD_PATH, IssueCodes.BAD_DISCRIMINATOR, "scalar");
        v.assertError(dev(Q + "/** r */ request r on q where t == 1 { writable le32 t; }"), REQUEST,
                IssueCodes.BAD_DISCRIMINATOR, "not readable");
        v.assertNoErrors(dev(Q + "/** h */ struct h { le32 t; }\n/** r */ request r on q where hd.t == 1 { readable h hd; }"));
    }

    @Test
    void oneValueSelectsOneFormatPerQueue() {
        v.assertError(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where t in (2, 1) { readable le32 t; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST,
                "t == 1 already selects request 'a'");
        v.assertWarning(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q { readable le32 t; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST, "needs a 'where'");
        v.assertNoErrors(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where t in (2, 3) { readable le32 t; }"));
    }

    @Test
    void maskedSelectorsTellFormatsApartByTheirBits() {
        v.assertNoErrors(dev(Q + "/** w */ request w on q where f & 2 == 0 { readable le32 f; }\n"
                + "/** r */ request r on q where f & 2 == 2 { readable le32 f; }"));
        v.assertError(dev(Q + "/** r */ request r on q where f & 2 == 3 { readable le32 f; }"), REQUEST,
                IssueCodes.MASKED_VALUE, "bits outside the mask 0x2");
        v.assertError(dev(Q + "/** w */ request w on q where f & 2 == 0 { readable le32 f; }\n"
                + "/** r */ request r on q where f == 2 { readable le32 f; }"), REQUEST, IssueCodes.AMBIGUOUS_REQUEST,
                "selects by f but 'w' on the same queue selects by other bits");
        // two paths to the same bytes are one selector
        v.assertNoErrors(dev(Q + "/** h */ struct h { le32 t; }\n/** c */ struct c { h hdr; }\n"
                + "/** a */ request a on q where hdr.t == 1 { readable h hdr; }\n"
                + "/** b */ request b on q where cmd.hdr.t == 2 { readable c cmd; }"));
    }

    /** The selector's place is its offset and width: a narrower field at the same offset reads other bits. */
    @Test
    void samePlaceMeansSameOffsetAndWidth() {
        v.assertError(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where k == 2 { readable u8 k; readable u8 pad[3]; }"), REQUEST,
                IssueCodes.AMBIGUOUS_REQUEST, "selects by k but 'a' on the same queue selects by other bits");
        // a selector behind a variable-size field has no fixed place: its path stands for it
        v.assertError(dev(Q + "/** a */ request a on q where t == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where t == 2 { readable u8 d[]; readable le32 t; }"), REQUEST,
                IssueCodes.AMBIGUOUS_REQUEST, "selects by t but 'a' on the same queue selects by other bits");
    }

    /** Validators see half-built models: an unresolved selector field is reported, never a crash. */
    @Test
    void unresolvedSelectorFieldsAreReportedNotFatal() {
        Model m = dev(Q + "/** a */ request a on q where nosuch == 1 { readable le32 t; }\n"
                + "/** b */ request b on q where gone == 1 { readable le32 t; }\n"
                + "/** c */ request c on q where gone.t == 2 { readable le32 t; }");
        v.assertError(m, FIELD_PATH, org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC, "nosuch");
        // unresolved steps read as "?": one-step paths agree with each other, a two-step one does not
        v.assertError(m, REQUEST, IssueCodes.AMBIGUOUS_REQUEST, "already selects request 'a'");
        v.assertError(m, REQUEST, IssueCodes.AMBIGUOUS_REQUEST, "request 'c' selects by ?.? but 'a'");
    }

    @Test
    void selectorValuesMustBeConstant() {
        v.assertError(dev(Q + "/** r */ request r on q where t == n { readable le32 t; readable le32 n; }"), REQUEST,
                IssueCodes.NOT_CONSTANT);
    }
}
