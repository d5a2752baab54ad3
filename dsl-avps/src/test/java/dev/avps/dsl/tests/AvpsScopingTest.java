package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.FeatureRef;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.scoping.Prelude;
import java.util.List;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Name resolution: prelude, imports across files, enum values, field paths, queues. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class AvpsScopingTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper v;

    @Test
    void transportBitsComeFromThePreludeWithoutImport() {
        Model m = specs.parseDevice("features { /** a */ bit 1 A requires VERSION_1 && RING_PACKED; }");
        v.assertNoErrors(m);
        FeatureRef ref = EcoreUtil2.eAllOfType(m, FeatureRef.class).get(0);
        assertEquals(32, ref.getFeature().getBit());
        assertTrue(Prelude.isPrelude(ref.getFeature().eResource()), "resolved into the shipped prelude");
    }

    @Test
    void preludeEnumIsVisibleToo() {
        v.assertNoErrors(specs.parseDevice("/** s */ struct s { device_status st; }"));
    }

    @Test
    void typesAcrossFilesByImportOrQualifiedName() {
        List<Model> ms = specs.parseAll("""
                package virtio.common;
                /** h */ struct hdr { le32 type; }
                """, """
                package virtio.a;
                import virtio.common.*;
                /** x */ struct x { hdr h; virtio.common.hdr h2; }
                """);
        v.assertNoErrors(ms.get(1));
        Struct x = (Struct) ms.get(1).getElements().get(0);
        Struct target = (Struct) ((NamedType) x.getMembers().get(0).getType()).getType();
        assertEquals("hdr", target.getName());
        assertTrue(target.eResource() == ms.get(0).eResource());
    }

    @Test
    void unimportedTypeFromAnotherPackageDoesNotResolve() {
        List<Model> ms = specs.parseAll("package virtio.common;\n/** h */ struct hdr { le32 type; }",
                "package virtio.a;\n/** x */ struct x { hdr h; }");
        v.assertError(ms.get(1), AvpsPackage.Literals.NAMED_TYPE, Diagnostic.LINKING_DIAGNOSTIC, "hdr");
    }

    @Test
    void enumValuesAreVisibleWithoutTheEnumName() {
        Model m = specs.parseDevice("""
                /** e */ enum kind : le32 { K_A = 1; }
                queues { /** q */ queue q driver-to-device; }
                /** r */ request r on q where t == K_A { readable kind t; }
                """);
        v.assertNoErrors(m);
        ValueRef ref = EcoreUtil2.eAllOfType(m, ValueRef.class).get(0);
        assertEquals("K_A", ((EnumLiteral) ref.getTarget()).getName());
    }

    @Test
    void featuresOfAnotherDeviceNeedQualification() {
        Model m = specs.parse("""
                package p;
                /** a */ device a { id 1; spec "1.4"; features { /** x */ bit 1 X; } }
                /** s */ struct shared { le32 v when a.X; le32 w when X; }
                """);
        List<FeatureRef> refs = EcoreUtil2.eAllOfType(m, FeatureRef.class);
        assertEquals("X", refs.get(0).getFeature().getName());
        assertTrue(refs.get(1).getFeature().eIsProxy(), "X alone is not visible outside device a");
    }

    @Test
    void discriminatorPathWalksIntoStructFields() {
        Model m = specs.parseDevice("""
                /** i */ struct inner { le32 code; }
                /** o */ struct outer { inner head; le32 code; }
                queues { /** q */ queue q driver-to-device; }
                /** r */ request r on q where o.head.code == 1 { readable outer o; }
                """);
        v.assertNoErrors(m);
        Request r = EcoreUtil2.eAllOfType(m, Request.class).get(0);
        Field code = r.getDiscriminator().getField();
        assertEquals("inner", ((Struct) code.eContainer()).getName(), "code resolved inside inner, not outer");
    }

    @Test
    void queueCountSeesConfigFieldsAndRequestsSeeOwnQueues() {
        Model m = specs.parse("""
                package p;
                /** a */ device a { id 1; spec "1.4";
                    /** c */ config c { le16 n; }
                    queues { /** q */ queue q driver-to-device count n; }
                }
                /** b */ device b { id 2; spec "1.4";
                    queues { /** q */ queue mine driver-to-device; }
                    /** r */ request r on q { readable u8 x; }
                }
                """);
        ValueRef count = EcoreUtil2.eAllOfType(m, ValueRef.class).get(0);
        assertEquals("n", ((Field) count.getTarget()).getName());
        v.assertError(m, AvpsPackage.Literals.REQUEST, Diagnostic.LINKING_DIAGNOSTIC, "'q'");
    }

    @Test
    void deviceFeaturesAreQualifiedByDevice() {
        Model m = specs.parse("""
                package p.q;
                /** a */ device a { id 1; spec "1.4"; features { /** x */ bit 1 X; } }
                requirement r device MUST on p.q.a.X "do x.";
                """);
        v.assertNoErrors(m);
        assertEquals(1, EcoreUtil2.eAllOfType(m, DeviceFeatures.class).size());
    }
}
