package dev.avps.dsl.tests;

import static dev.avps.dsl.avps.AvpsPackage.Literals.FIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.validation.IssueCodes;
import dev.avps.model.DeviceModel;
import dev.avps.model.FieldLayout;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code driver-writable} mark: where it may stand and what the model records. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class DriverWritableConfigTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    @Test
    void configFieldsCarryTheMarkIntoTheModel() {
        DeviceModel d = specs.deviceModel("""
                features { /** w */ bit 0 WCE; }
                /** c */ config cfg {
                    le64 capacity;
                    driver-writable u8 writeback when WCE;
                    driver-writable u8 select;
                    reserved u8 pad[6];
                }""");
        FieldLayout capacity = d.config().field("capacity").orElseThrow();
        FieldLayout writeback = d.config().field("writeback").orElseThrow();
        assertFalse(capacity.driverWritable());
        assertTrue(writeback.driverWritable());
        assertEquals(FieldLayout.Access.DRIVER_WRITABLE, writeback.access());
        assertEquals(8, writeback.offset(), "the mark changes no offset");
        assertTrue(d.config().field("select").orElseThrow().driverWritable());
        assertFalse(d.config().field("pad").orElseThrow().driverWritable());
    }

    @Test
    void theMarkIsAcceptedOnConfigFields() {
        v.assertNoErrors(specs.parseDevice("/** c */ config cfg { le32 a; driver-writable le32 b; }"));
    }

    @Test
    void theMarkIsRejectedOutsideTheConfigBlock() {
        v.assertError(specs.parseDevice("/** s */ struct s { driver-writable le32 a; }"), FIELD,
                IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG, "only to fields of a device's config block");
        v.assertError(specs.parseDevice("""
                queues { /** q */ queue q driver-to-device; }
                /** r */ request r on q { driver-writable le32 a; }"""), FIELD,
                IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG);
    }

    @Test
    void paddingCannotBeDriverWritable() {
        v.assertError(specs.parseDevice("/** c */ config cfg { le32 a; driver-writable reserved le32 b; }"), FIELD,
                IssueCodes.DRIVER_WRITABLE_OUTSIDE_CONFIG, "padding carries no value");
    }

    @Test
    void theMarkIsNoKeywordForNamesElsewhere() {
        // `driver` alone stays a usable name next to the new `driver-writable` keyword.
        v.assertNoErrors(specs.parseDevice("/** c */ config cfg { le32 driver; driver-writable le32 device; }"));
    }
}
