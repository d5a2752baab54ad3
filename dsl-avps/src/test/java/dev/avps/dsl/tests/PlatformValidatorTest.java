package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.DEMAND;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM_DEVICE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.PLATFORM_REQUIREMENT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import java.util.List;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A platform against the devices it names: each rule once where it must fire and once where it must stay quiet. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class PlatformValidatorTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    /** Two devices in their own package, as the catalog has them. */
    static final String DEVICES = """
            package cat;
            /** a disk */
            device disk {
                id 2;
                spec "1.4";
                features {
                    /** s */ bit 2 SEG_MAX;
                    /** f */ bit 9 FLUSH alias WCE;
                    /** r */ bit 5 RO;
                }
                config disk_config {
                    le64 capacity;
                    le32 seg_max when SEG_MAX;
                    u8 tag[4];
                    u8 small;
                }
            }
            /** a source */
            device source {
                id 4;
                spec "1.4";
                features { /** x */ bit 3 EXTRA; }
            }
            """;

    /** The platform text after the header, in a file that imports the devices. */
    private Model platform(String members) {
        List<Model> all = specs.parseAll(DEVICES, """
                package plat;
                import cat.*;
                /** p */
                platform car {
                    version "1.0";
                    status draft;
                    transports pci, mmio;
                """ + members + "\n}\n");
        return all.get(1);
    }

    @Test
    void aWellFormedPlatformPasses() {
        v.assertNoErrors(platform("""
                device disk MUST {
                    MUST offer VERSION_1;
                    MUST offer FLUSH;
                    MUST NOT offer RO;
                    MUST offer SEG_MAX;
                    MUST config seg_max >= 1;
                    SHOULD config capacity >= 0x100000;
                    MUST queues >= 1;
                    SHOULD queue size >= 128;
                }
                device source SHOULD;
                requirement guest_reads MUST "read a sector." checked by guest_block_read;
                requirement switchable MUST "leave the console out." not checkable "a build setting";
                """));
    }

    @Test
    void anAliasNamesTheFeature() {
        v.assertNoErrors(platform("device disk MUST { MUST offer WCE; }"));
    }

    @Test
    void anUnknownDeviceIsALinkErrorAtItsPosition() {
        Model m = platform("device nosuch MUST;");
        v.assertError(m, PLATFORM_DEVICE, Diagnostic.LINKING_DIAGNOSTIC,
                "no device 'nosuch' in the loaded specs: import its package");
    }

    @Test
    void aFeatureOfAnotherDeviceDoesNotResolve() {
        // EXTRA is source's bit, not disk's: the platform cannot demand it of disk.
        Model m = platform("device disk MUST { MUST offer EXTRA; }");
        v.assertError(m, DEMAND, Diagnostic.LINKING_DIAGNOSTIC,
                "device 'disk' defines no feature 'EXTRA', and no transport feature has that name");
    }

    @Test
    void aConfigFieldTheDeviceLacksDoesNotResolve() {
        v.assertError(platform("device source MAY { MUST config capacity >= 1; }"), DEMAND,
                Diagnostic.LINKING_DIAGNOSTIC, "device 'source' has no config field 'capacity'");
    }

    @Test
    void offeringAndWithholdingOneFeatureContradict() {
        v.assertError(platform("device disk MUST { MUST offer RO; SHOULD NOT offer RO; }"), DEMAND,
                IssueCodes.BAD_PLATFORM, "contradictory levels: line");
    }

    @Test
    void aFeatureDemandedTwiceIsReported() {
        v.assertError(platform("device disk MUST { MUST offer FLUSH; SHOULD offer FLUSH; }"), DEMAND,
                IssueCodes.BAD_PLATFORM, "already demanded at line", "with level MUST");
    }

    @Test
    void aDeviceListedTwiceIsReported() {
        v.assertError(platform("device disk MUST;\ndevice disk MAY;"), PLATFORM_DEVICE, IssueCodes.BAD_PLATFORM,
                "already listed at line");
    }

    @Test
    void unknownAndRepeatedTransportsAreReported() {
        Model m = specs.parseAll(DEVICES, """
                package plat;
                /** p */ platform car { version "1"; transports pci, usb, pci; }
                """).get(1);
        v.assertError(m, PLATFORM, IssueCodes.BAD_PLATFORM, "unknown transport 'usb'");
        v.assertError(m, PLATFORM, IssueCodes.BAD_PLATFORM, "transport 'pci' is listed twice");
    }

    @Test
    void aVersionMustSaySomething() {
        Model m = specs.parseAll(DEVICES, "package plat;\n/** p */ platform car { version \" \"; }").get(1);
        v.assertError(m, PLATFORM, IssueCodes.BAD_PLATFORM, "needs a version");
    }

    @Test
    void notAppliesToOfferOnly() {
        v.assertError(platform("device disk MUST { MUST NOT queues >= 1; }"), DEMAND, IssueCodes.BAD_PLATFORM,
                "NOT applies to 'offer' only");
    }

    @Test
    void boundsTheTransportsCannotCarryAreReported() {
        v.assertError(platform("device disk MUST { MUST queue size >= 65536; }"), DEMAND, IssueCodes.BAD_PLATFORM,
                "at most 32768 entries");
        v.assertError(platform("device disk MUST { MUST queues >= 70000; }"), DEMAND, IssueCodes.BAD_PLATFORM,
                "at most 65535 queues");
    }

    @Test
    void configBoundsTakeAPlainNumberOfTheFieldsWidth() {
        v.assertError(platform("device disk MUST { MUST config tag >= 1; }"), DEMAND, IssueCodes.BAD_PLATFORM,
                "is an array");
        v.assertError(platform("device disk MUST { MUST config small >= 256; }"), DEMAND, IssueCodes.BAD_PLATFORM,
                "outside the values u8 'small' can hold");
    }

    @Test
    void aFieldOnlyAForbiddenFeatureBringsIsAnError() {
        v.assertError(platform("device disk MUST { MUST NOT offer SEG_MAX; MUST config seg_max >= 1; }"), DEMAND,
                IssueCodes.BAD_PLATFORM, "exists only when SEG_MAX, which this platform forbids");
    }

    @Test
    void aFieldAnUndemandedFeatureBringsIsAWarning() {
        Model m = platform("device disk MUST { MUST config seg_max >= 1; }");
        v.assertWarning(m, DEMAND, IssueCodes.BAD_PLATFORM, "exists only when SEG_MAX: demand MUST offer");
        // At the demand's own level the feature counts as demanded: no warning.
        List<Issue> issues = v.validate(platform("device disk MUST { SHOULD offer SEG_MAX; SHOULD config seg_max >= 1; }"));
        assertTrue(issues.isEmpty(), issues.toString());
    }

    @Test
    void requirementIdsAreUniqueAndPlain() {
        v.assertError(platform("requirement a MUST \"x.\";\nrequirement a SHOULD \"y.\";"), PLATFORM_REQUIREMENT,
                IssueCodes.BAD_PLATFORM, "already declared at line");
        v.assertError(platform("requirement BadName MUST \"x.\";"), PLATFORM_REQUIREMENT, IssueCodes.BAD_PLATFORM,
                "lower_snake_case");
    }

    @Test
    void aCheckTheProbeLacksIsReported() {
        v.assertError(platform("requirement r MUST \"x.\" checked by guest_hwrng, guest_teleport;"),
                PLATFORM_REQUIREMENT, IssueCodes.BAD_PLATFORM, "the guest probe has no check 'guest_teleport'");
    }

    @Test
    void aPlatformInsideADeviceIsMisplaced() {
        Model m = specs.parse(Specs.device("/** p */ platform inner { version \"1\"; }"));
        v.assertError(m, PLATFORM, IssueCodes.MISPLACED, "a platform cannot be declared inside a device");
    }
}
