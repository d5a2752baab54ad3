package dev.avps.specmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The transport packages state some facts twice, once as a layout and once as Linux's offset
 * macros (virtio_mmio.h and virtio_pci.h have no struct for them): the two must agree, and the
 * device ID list must name every catalog device.
 */
class TransportModelTest {

    private static final SpecModel MODEL = Catalog.load().model();

    @Test
    void mmioRegisterOffsetsMatchTheRegisterLayout() {
        StructLayout regs = struct("virtio_mmio_regs");
        Set<String> legacyOnly = Set.of("GUEST_PAGE_SIZE", "QUEUE_ALIGN", "QUEUE_PFN");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (ConstantModel c : constants("virtio.mmio", "VIRTIO_MMIO_")) {
            String reg = c.name().substring("VIRTIO_MMIO_".length());
            if (legacyOnly.contains(reg) || reg.startsWith("INT_") || reg.equals("MAGIC")) {
                continue;
            }
            int expected = reg.equals("CONFIG") ? regs.size() : offset(regs, reg.toLowerCase(Locale.ROOT), 0);
            checked++;
            if (c.value().intValue() != expected) {
                wrong.add(c.name() + " = " + c.value() + ", layout says " + expected);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 30, "register constants checked: " + checked);
    }

    @Test
    void pciOffsetMacrosMatchTheCapabilityAndCommonConfigLayouts() {
        StructLayout common = struct("virtio_pci_common_cfg");
        StructLayout cap = struct("virtio_pci_cap");
        // Linux's abbreviations for the common configuration fields; the 64-bit queue addresses
        // are named by their 32-bit halves.
        Map<String, String> field = Map.ofEntries(Map.entry("DFSELECT", "device_feature_select"),
                Map.entry("DF", "device_feature"), Map.entry("GFSELECT", "guest_feature_select"),
                Map.entry("GF", "guest_feature"), Map.entry("MSIX", "msix_config"), Map.entry("NUMQ", "num_queues"),
                Map.entry("STATUS", "device_status"), Map.entry("CFGGENERATION", "config_generation"),
                Map.entry("Q_SELECT", "queue_select"), Map.entry("Q_SIZE", "queue_size"),
                Map.entry("Q_MSIX", "queue_msix_vector"), Map.entry("Q_ENABLE", "queue_enable"),
                Map.entry("Q_NOFF", "queue_notify_off"), Map.entry("Q_DESCLO", "queue_desc"),
                Map.entry("Q_DESCHI", "queue_desc+4"), Map.entry("Q_AVAILLO", "queue_driver"),
                Map.entry("Q_AVAILHI", "queue_driver+4"), Map.entry("Q_USEDLO", "queue_device"),
                Map.entry("Q_USEDHI", "queue_device+4"), Map.entry("Q_NDATA", "queue_notif_config_data"),
                Map.entry("Q_RESET", "queue_reset"));
        List<String> wrong = new ArrayList<>();
        List<ConstantModel> commons = constants("virtio.pci", "VIRTIO_PCI_COMMON_");
        assertEquals(field.keySet(), commons.stream().map(c -> c.name().substring("VIRTIO_PCI_COMMON_".length()))
                .collect(Collectors.toSet()));
        for (ConstantModel c : commons) {
            String[] f = field.get(c.name().substring("VIRTIO_PCI_COMMON_".length())).split("\\+");
            int expected = offset(common, f[0], f.length > 1 ? Integer.parseInt(f[1]) : 0);
            if (c.value().intValue() != expected) {
                wrong.add(c.name() + " = " + c.value() + ", layout says " + expected);
            }
        }
        for (ConstantModel c : constants("virtio.pci", "VIRTIO_PCI_CAP_")) {
            String name = c.name().substring("VIRTIO_PCI_CAP_".length()).toLowerCase(Locale.ROOT);
            if (c.name().endsWith("_CFG")) {
                continue; // capability types, not offsets
            }
            String f = name.equals("vndr") || name.equals("next") || name.equals("len") ? "cap_" + name : name;
            if (c.value().intValue() != offset(cap, f, 0)) {
                wrong.add(c.name() + " = " + c.value() + ", layout says " + offset(cap, f, 0));
            }
        }
        assertEquals(offset(struct("virtio_pci_notify_cap"), "notify_off_multiplier", 0),
                constant("VIRTIO_PCI_NOTIFY_CAP_MULT").intValue());
        assertEquals(List.of(), wrong);
    }

    @Test
    void theIdListNamesEveryCatalogDeviceWithAnIdLinuxKnows() {
        Set<BigInteger> listed = MODEL.enums().stream().filter(e -> MODEL.packageOf(e.name()).equals("virtio.ids"))
                .filter(e -> e.name().equals("virtio_ids")).flatMap(e -> e.literals().stream())
                .map(EnumModel.Literal::value).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (DeviceModel d : MODEL.devices()) {
            boolean linuxKnows = LinuxOracle.Inventory.byId(d.id()).map(o -> o.get("linux_macro"))
                    .filter(m -> m != null && !m.isJsonNull()).isPresent();
            if (linuxKnows && !listed.contains(BigInteger.valueOf(d.id()))) {
                missing.add(d.name() + " (" + d.id() + ")");
            }
        }
        assertEquals(List.of(), missing, "devices whose ID Linux names but virtio/ids.avps lacks");
    }

    private static StructLayout struct(String cName) {
        return MODEL.structs().stream().filter(s -> s.cName().equals(cName)).findFirst()
                .orElseThrow(() -> new AssertionError("no struct " + cName));
    }

    private static int offset(StructLayout s, String cName, int plus) {
        return s.fields().stream().filter(f -> f.cName().equals(cName)).mapToInt(FieldLayout::offset).findFirst()
                .orElseThrow(() -> new AssertionError(s.cName() + " has no field " + cName)) + plus;
    }

    private static List<ConstantModel> constants(String pkg, String prefix) {
        return MODEL.constants().stream().filter(c -> MODEL.packageOf(c.name()).equals(pkg))
                .filter(c -> c.name().startsWith(prefix)).toList();
    }

    private static BigInteger constant(String name) {
        return MODEL.constants().stream().filter(c -> c.name().equals(name)).map(ConstantModel::value).findFirst()
                .orElseThrow();
    }
}
