package dev.avps.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import dev.avps.dsl.avps.And;
import dev.avps.dsl.avps.Binary;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.FeatureRef;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.IfExpression;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.NamedType;
import dev.avps.dsl.avps.Not;
import dev.avps.dsl.avps.NumberLiteral;
import dev.avps.dsl.avps.Or;
import dev.avps.dsl.avps.Primitive;
import dev.avps.dsl.avps.PrimitiveType;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.QueueGroup;
import dev.avps.dsl.avps.Queues;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Requirement;
import dev.avps.dsl.avps.SpecStatus;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.avps.ValueRef;
import dev.avps.dsl.avps.Direction;
import dev.avps.dsl.avps.Level;
import dev.avps.dsl.avps.Party;
import java.math.BigInteger;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One test per construct of the language: it parses, links, and lands in the right attribute. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class AvpsParsingTest {

    @Inject
    Specs specs;

    @Inject
    ValidationTestHelper validation;

    @Inject
    IEObjectDocumentationProvider docs;

    private <T> T member(Model m, Class<T> type) {
        return Specs.firstDevice(m).getMembers().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow();
    }

    private Struct struct(Model m, String name) {
        return Specs.firstDevice(m).getMembers().stream().filter(Struct.class::isInstance).map(Struct.class::cast)
                .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void packageImportsAndDeviceHeader() {
        Model m = specs.parse("""
                package virtio.example;
                import virtio.*;
                import virtio.transport.VERSION_1;
                /** An example device. */
                device example {
                    id 0x2A;
                    spec "1.4";
                    status proposal;
                    c-name "virtio_ex";
                }
                """);
        validation.assertNoErrors(m);
        assertEquals("virtio.example", m.getName());
        assertEquals(2, m.getImports().size());
        assertEquals("virtio.*", m.getImports().get(0).getImportedNamespace());
        Device d = Specs.firstDevice(m);
        assertEquals("example", d.getName());
        assertEquals(BigInteger.valueOf(42), d.getDeviceId());
        assertEquals("1.4", d.getSpecVersion());
        assertEquals(SpecStatus.PROPOSAL, d.getStatus());
        assertEquals("virtio_ex", d.getCName());
        assertEquals("An example device.", docs.getDocumentation(d));
    }

    @Test
    void featureBitsWithMarksAliasesAndDependencies() {
        Model m = specs.parseDevice("""
                features {
                    /** a */ legacy bit 0 OLD;
                    /** b */ deprecated bit 1 STALE;
                    /** c */ bit 9 FLUSH alias WCE, WRITEBACK c-name "VIRTIO_X_F_FLUSH";
                    /** d */ bit 2 NEEDS requires FLUSH && !STALE || (OLD && VERSION_1);
                }
                """);
        validation.assertNoErrors(m);
        DeviceFeatures block = member(m, DeviceFeatures.class);
        Feature old = block.getFeatures().get(0);
        assertTrue(old.isLegacy());
        assertFalse(old.isDeprecated());
        assertTrue(block.getFeatures().get(1).isDeprecated());
        Feature flush = block.getFeatures().get(2);
        assertEquals(9, flush.getBit());
        assertEquals(java.util.List.of("WCE", "WRITEBACK"), flush.getAliases());
        assertEquals("VIRTIO_X_F_FLUSH", flush.getCName());
        // || binds weaker than &&, ! binds tightest
        Or or = assertInstanceOf(Or.class, block.getFeatures().get(3).getRequires());
        And left = assertInstanceOf(And.class, or.getLeft());
        assertEquals("FLUSH", ((FeatureRef) left.getLeft()).getFeature().getName());
        assertInstanceOf(Not.class, left.getRight());
        And right = assertInstanceOf(And.class, or.getRight());
        assertEquals("VERSION_1", ((FeatureRef) right.getRight()).getFeature().getName());
    }

    @Test
    void everyScalarType() {
        Model m = specs.parseDevice("""
                /** s */
                struct all {
                    u8 a; le16 b; le32 c; le64 d; be16 e; be32 f; be64 g; virtio16 h; virtio32 i; virtio64 j;
                }
                """);
        validation.assertNoErrors(m);
        Struct s = struct(m, "all");
        Primitive[] expected = {Primitive.U8, Primitive.LE16, Primitive.LE32, Primitive.LE64, Primitive.BE16,
                Primitive.BE32, Primitive.BE64, Primitive.VIRTIO16, Primitive.VIRTIO32, Primitive.VIRTIO64};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], ((PrimitiveType) s.getMembers().get(i).getType()).getKind());
        }
    }

    @Test
    void structFieldsArraysReservedConditionsAndBitRanges() {
        Model m = specs.parseDevice("""
                features { /** f */ bit 3 GEO; }
                /** n */ const N : le32 = 6;
                /** inner */ struct inner size 2 { u8 x; u8 y; }
                /** outer */
                struct outer size 21 {
                    inner nested when GEO;
                    u8 fixed[4];
                    u8 byConst[N];
                    reserved u8 pad[1] c-name "padding";
                    le32 flags {
                        bit 0 first;
                        bits 4..7 nibble;
                    }
                    le32 len;
                    u8 data[];
                }
                """);
        validation.assertNoErrors(m);
        Struct s = struct(m, "outer");
        assertEquals(21, s.getExpectedSize());
        Field nested = s.getMembers().get(0);
        assertEquals("inner", ((NamedType) nested.getType()).getType() instanceof Struct st ? st.getName() : null);
        assertEquals("GEO", ((FeatureRef) nested.getCondition()).getFeature().getName());
        assertEquals(BigInteger.valueOf(4), ((NumberLiteral) s.getMembers().get(1).getArray().getLength()).getValue());
        assertInstanceOf(Constant.class, ((ValueRef) s.getMembers().get(2).getArray().getLength()).getTarget());
        Field pad = s.getMembers().get(3);
        assertTrue(pad.isReserved());
        assertEquals("padding", pad.getCName());
        Field flags = s.getMembers().get(4);
        assertEquals(2, flags.getBitfields().size());
        assertEquals(4, flags.getBitfields().get(1).getLsb());
        assertEquals(7, flags.getBitfields().get(1).getMsb());
        assertNull(s.getMembers().get(6).getArray().getLength(), "[] is a flexible array");
    }

    @Test
    void unionSelectedByDiscriminator() {
        Model m = specs.parseDevice("""
                /** k */ enum kind : le32 { A = 1; B = 2; C = 3; }
                /** h */ struct head { kind type; le32 pad; }
                /** u */
                struct msg {
                    head hdr;
                    union body select hdr.type size 16 {
                        case A: le64 x;
                        case B, C: le32 y; le32 z;
                    }
                }
                """);
        validation.assertNoErrors(m);
        Field u = struct(m, "msg").getMembers().get(1);
        assertTrue(u.isUnion());
        assertEquals("type", u.getDiscriminator().getField().getName());
        assertEquals("hdr", u.getDiscriminator().getParent().getField().getName());
        assertEquals(16, u.getExpectedSize());
        assertEquals(2, u.getCases().size());
        assertEquals(2, u.getCases().get(1).getLabels().size());
        assertEquals(2, u.getCases().get(1).getMembers().size());
    }

    @Test
    void enumsAndConstantsWithDeclaredTypes() {
        Model m = specs.parseDevice("""
                /** e */ enum status : u8 { OK = 0; ERR = 0xff; }
                /** c */ const BIG : le64 = 0xFFFF_FFFF_FFFF_FFFF;
                """);
        validation.assertNoErrors(m);
        Enum e = member(m, Enum.class);
        assertEquals(Primitive.U8, e.getType());
        assertEquals(BigInteger.valueOf(255), e.getLiterals().get(1).getValue());
        assertEquals(new BigInteger("FFFFFFFFFFFFFFFF", 16), member(m, Constant.class).getValue());
    }

    @Test
    void queuesWithCountsConditionsIndexesAndGroups() {
        Model m = specs.parseDevice("""
                features { /** m */ bit 0 MQ; /** c */ bit 1 CTRL; }
                /** c */ config cfg { le16 pairs; le16 ports; }
                queues {
                    /** g */
                    group pairs count pairs if MQ else 1 {
                        /** r */ queue rx device-to-driver;
                        /** t */ queue tx driver-to-device;
                    }
                    /** c */ queue ctrl driver-to-device when CTRL;
                    /** x */ queue extra driver-to-device count ports * 2 - 1 index 40;
                }
                """);
        validation.assertNoErrors(m);
        Queues qs = member(m, Queues.class);
        QueueGroup g = assertInstanceOf(QueueGroup.class, qs.getEntries().get(0));
        assertEquals(2, g.getQueues().size());
        assertEquals(Direction.TO_DRIVER, g.getQueues().get(0).getDirection());
        IfExpression count = assertInstanceOf(IfExpression.class, g.getCount());
        assertEquals("pairs", ((Field) ((ValueRef) count.getThen()).getTarget()).getName());
        Queue ctrl = (Queue) qs.getEntries().get(1);
        assertEquals("CTRL", ((FeatureRef) ctrl.getCondition()).getFeature().getName());
        Queue extra = (Queue) qs.getEntries().get(2);
        Binary minus = assertInstanceOf(Binary.class, extra.getCount());
        assertEquals("-", minus.getOp());
        assertEquals("*", ((Binary) minus.getLeft()).getOp());
        assertEquals(BigInteger.valueOf(40), ((NumberLiteral) extra.getIndex()).getValue());
    }

    @Test
    void requestsWithDiscriminatorAndParts() {
        Model m = specs.parseDevice("""
                /** t */ enum op : le32 { RD = 0; WR = 1; ZERO = 2; }
                /** h */ struct hdr { op type; le32 len; }
                queues { /** q */ queue q driver-to-device; }
                /** r */
                request read on q where header.type == RD {
                    readable hdr header;
                    writable u8 data[header.len];
                    writable u8 status;
                }
                /** w */
                request other on q where header.type in (WR, ZERO) {
                    readable hdr header;
                    readable u8 data[];
                    writable u8 status;
                }
                """);
        validation.assertNoErrors(m);
        Request read = (Request) Specs.firstDevice(m).getMembers().stream()
                .filter(e -> e instanceof Request r && r.getName().equals("read")).findFirst().orElseThrow();
        assertEquals("q", read.getQueue().getName());
        assertEquals("type", read.getDiscriminator().getField().getName());
        assertEquals(1, read.getValues().size());
        assertTrue(read.getMembers().get(0).isReadable());
        assertTrue(read.getMembers().get(2).isWritable());
        Request other = (Request) Specs.firstDevice(m).getMembers().stream()
                .filter(e -> e instanceof Request r && r.getName().equals("other")).findFirst().orElseThrow();
        assertEquals(2, other.getValues().size());
    }

    @Test
    void requirementsWithPartyLevelNegationAndTarget() {
        Model m = specs.parseDevice("""
                features { /** r */ bit 5 RO; }
                requirement must_fail device MUST on RO "fail writes.";
                requirement no_writes driver SHOULD NOT "send writes.";
                requirement may_cache device MAY "cache reads.";
                """);
        validation.assertNoErrors(m);
        java.util.List<Requirement> rs = Specs.firstDevice(m).getMembers().stream()
                .filter(Requirement.class::isInstance).map(Requirement.class::cast).toList();
        assertEquals(3, rs.size());
        assertEquals(Party.DEVICE, rs.get(0).getParty());
        assertEquals(Level.MUST, rs.get(0).getLevel());
        assertInstanceOf(Feature.class, rs.get(0).getTarget());
        assertTrue(rs.get(1).isNegated());
        assertEquals(Level.SHOULD, rs.get(1).getLevel());
        assertEquals(Level.MAY, rs.get(2).getLevel());
        assertEquals("cache reads.", rs.get(2).getText());
    }

    @Test
    void softKeywordsServeAsFieldNames() {
        Model m = specs.parseDevice("""
                /** s */
                struct virtio_input_config {
                    u8 select; u8 subsel; u8 size; u8 status; u8 id; u8 count; u8 index;
                    reserved u8 reserved[1];
                }
                """);
        validation.assertNoErrors(m);
        assertEquals("reserved", struct(m, "virtio_input_config").getMembers().get(7).getName());
    }

    @Test
    void syntaxErrorIsReportedWithItsLine() {
        Model m = specs.parse("package t;\ndevice d {\n  id 1;\n  spec \"1.4\";\n  bogus;\n}\n");
        var errors = m.eResource().getErrors();
        assertFalse(errors.isEmpty());
        assertEquals(5, errors.get(0).getLine());
    }
}
