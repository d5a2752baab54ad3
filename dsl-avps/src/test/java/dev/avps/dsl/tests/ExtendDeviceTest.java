package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.validation.IssueCodes;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.SpecModel;
import java.util.List;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code extend device}: a proposal adds to a device declared in another file, checked against it. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class ExtendDeviceTest {

    static final String BASE = """
            package cat.blk;
            /** A block device. */
            device blk {
                id 2;
                spec "1.4";
                features {
                    /** f */ bit 1 SIZE_MAX;
                    /** f */ bit 9 FLUSH alias WCE;
                }
                /** c */ config blk_config {
                    le64 capacity;
                    le32 size_max when SIZE_MAX;
                }
                /** t */ enum blk_type : le32 { T_IN = 0; T_OUT = 1; }
                /** h */ struct blk_hdr { blk_type type; le32 reserved0; le64 sector; }
                queues { /** q */ queue requestq driver-to-device; }
                /** r */ request read on requestq where hdr.type == T_IN { readable blk_hdr hdr; writable u8 status; }
                /** w */ request write on requestq where hdr.type == T_OUT { readable blk_hdr hdr; writable u8 status; }
            }
            """;

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    private List<Model> load(String proposal) {
        return specs.parseAll(BASE, "package prop.blk_verify;\nimport cat.blk.*;\n" + proposal);
    }

    static final String GOOD = """
            /** Verify: the device checks written data on request. */
            extend device blk {
                features {
                    /** The device can verify ranges. */
                    bit 20 VERIFY requires FLUSH;
                }
                config blk_config {
                    le32 max_verify_sectors when VERIFY;
                }
                enum blk_type : le32 { T_VERIFY = 30; }
                queues { /** Verification results. */ queue verifyq device-to-driver when VERIFY; }
                /** v */ request verify on requestq where hdr.type == T_VERIFY {
                    readable blk_hdr hdr;
                    readable le32 sectors;
                    writable u8 status;
                }
                requirement verify_status device MUST on VERIFY "report a mismatch as an I/O error.";
            }
            """;

    @Test
    void aProposalSeesTheBaseNamesAndBuildsTheGrownDevice() {
        List<Model> ms = load(GOOD);
        v.assertNoErrors(ms.get(1));
        SpecModel m = specs.model(ms.get(1));
        assertEquals(1, m.devices().size());
        DeviceModel d = m.devices().get(0);
        assertEquals("blk", d.name());
        assertEquals(2, d.id());
        assertEquals(DeviceModel.Status.PROPOSAL, d.status());
        assertEquals(List.of("SIZE_MAX", "FLUSH", "VERIFY"), d.features().stream().map(f -> f.name()).toList());
        FieldLayout added = d.config().field("max_verify_sectors").orElseThrow();
        assertEquals(12, added.offset(), "appended after every base field");
        assertEquals(16, d.config().size());
        assertEquals(List.of("T_IN", "T_OUT", "T_VERIFY"),
                d.enums().get(0).literals().stream().map(l -> l.name()).toList());
        assertEquals(List.of("requestq", "verifyq"), d.queues().stream().map(q -> q.name()).toList());
        assertEquals("1", d.queues().get(1).firstIndex().render(), "indexes continue after the base's queues");
        assertEquals(List.of("read", "write", "verify"), d.requests().stream().map(r -> r.name()).toList());
        // The grown device's requests carry their selectors like any device's (the generator reads them).
        for (var r : d.requests()) {
            assertNotNull(r.selector(), r.name() + " has a selector");
            assertEquals(0, r.selector().offset(), r.name());
        }
        assertTrue(d.adds("feature", "VERIFY"));
        assertTrue(d.adds("config", "max_verify_sectors"));
        assertTrue(d.adds("literal", "T_VERIFY"));
        assertTrue(d.adds("queue", "verifyq"));
        assertTrue(d.adds("request", "verify"));
        assertTrue(d.adds("requirement", "verify_status"));
        assertFalse(d.adds("feature", "FLUSH"));
        assertFalse(d.adds("config", "capacity"));
        assertFalse(d.adds("queue", "requestq"));
    }

    @Test
    void aTakenBitIsRefused() {
        v.assertError(load("extend device blk { features { /** x */ bit 9 OTHER; } }").get(1), FEATURE,
                IssueCodes.EXTENSION_COLLISION, "bit 9 is already blk's FLUSH");
    }

    @Test
    void aTakenNameIsRefused() {
        v.assertError(load("extend device blk { features { /** x */ bit 21 WCE; } }").get(1), FEATURE,
                IssueCodes.EXTENSION_COLLISION, "'WCE' is already a name in device 'blk'");
        v.assertError(load("extend device blk { /** s */ struct blk_hdr { u8 x; } }").get(1), STRUCT,
                IssueCodes.EXTENSION_COLLISION);
        v.assertError(load("extend device blk { /** r */ request read on requestq { readable u8 x; } }").get(1),
                REQUEST, IssueCodes.EXTENSION_COLLISION, "already has a request 'read'");
    }

    @Test
    void configGrowsOnlyAtTheEndOfTheBasesConfig() {
        v.assertError(load("extend device blk { config other { u8 x; } }").get(1), STRUCT,
                IssueCodes.EXTENSION_MISMATCH, "has config 'blk_config'");
        v.assertError(load("extend device blk { config blk_config { le32 size_max; } }").get(1), FIELD,
                IssueCodes.EXTENSION_COLLISION, "already has a field 'size_max'");
    }

    @Test
    void enumValuesAndSelectorsMustBeNew() {
        v.assertError(load("extend device blk { enum blk_type : le32 { T_AGAIN = 1; } }").get(1), ENUM_LITERAL,
                IssueCodes.EXTENSION_COLLISION, "value 1 is already T_OUT");
        v.assertError(load("extend device blk { enum blk_type : le16 { T_NEW = 7; } }").get(1), ENUM,
                IssueCodes.EXTENSION_MISMATCH, "same type");
        v.assertError(load("""
                extend device blk {
                    /** r */ request again on requestq where hdr.type == 1 { readable blk_hdr hdr; writable u8 status; }
                }""").get(1), REQUEST, IssueCodes.EXTENSION_COLLISION, "already selects blk's request 'write'");
    }

    @Test
    void anUnknownBaseIsALinkingError() {
        List<Model> ms = load("extend device nosuch { }");
        assertFalse(ms.get(1).eResource().getErrors().isEmpty() && v.validate(ms.get(1)).isEmpty(),
                "the unresolved base is reported");
        v.assertError(ms.get(1), DEVICE_EXTENSION, org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC);
    }
}
