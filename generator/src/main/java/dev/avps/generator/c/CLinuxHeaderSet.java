package dev.avps.generator.c;

import dev.avps.generator.java.TransportBits;
import dev.avps.model.ConstantModel;
import dev.avps.model.DeviceModel;
import dev.avps.model.EnumModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which Linux uapi header each fact outside the devices goes to, scanned once from the model.
 *
 * <p>Linux spreads the transport over {@code virtio_types.h}, {@code virtio_ids.h},
 * {@code virtio_config.h}, {@code virtio_ring.h}, {@code virtio_pci.h} and {@code virtio_mmio.h}.
 * The shared types of an .avps package {@code virtio.<x>} that declares no device go to
 * {@code virtio_<x>.h} (so the catalog's {@code virtio.ring} package becomes {@code virtio_ring.h},
 * {@code virtio.ids} {@code virtio_ids.h}, {@code virtio.config} {@code virtio_config.h});
 * shared types of any other package go to the catalog-wide {@code virtio_avps_shared.h}. The
 * prelude's transport feature bits go to {@code virtio_config.h}, except the {@code VIRTIO_RING_F_*}
 * ones, which Linux keeps in {@code virtio_ring.h} (each only when that header exists). {@code virtio_ids.h} adds a
 * {@code VIRTIO_ID_<DEVICE>} for every loaded device whose ID the {@code virtio.ids} package does
 * not already name.
 */
public final class CLinuxHeaderSet {

    /** The catch-all header for shared types of packages that have no Linux header of their own. */
    public static final String CATCH_ALL = "virtio_avps_shared";

    private static final Pattern VIRTIO_PACKAGE = Pattern.compile("virtio\\.([a-z][a-z0-9_]*)");
    private static final String RING = "virtio_ring";
    private static final String CONFIG = "virtio_config";
    private static final String IDS = "virtio_ids";
    /** Per-header text the model cannot hold (typedefs, inline helpers), by header stem. */
    private static final Set<String> EXTRAS = Set.of(RING);

    /**
     * One catalog-wide header.
     *
     * @param stem      the file name without {@code .h}, e.g. {@code virtio_ring}
     * @param c         the shared types and constants it declares
     * @param bits      transport feature bits (legacy ones marked, aliases after their bit)
     * @param noLegacy  the macro hiding legacy definitions, as Linux's {@code VIRTIO_CONFIG_NO_LEGACY}
     * @param deviceIds {@code VIRTIO_ID_<DEVICE>} macros of loaded devices the ID list lacks
     * @param extras    a template under {@code c-linux/} printed after the types, or null
     */
    public record Header(String stem, CHeaderView c, List<CMacro> bits, String noLegacy, List<CMacro> deviceIds,
            String extras) {
    }

    private CLinuxHeaderSet() {
    }

    /** The header a shared type of this package belongs in. */
    static String headerOf(String pkg, Set<String> devicePackages) {
        var m = VIRTIO_PACKAGE.matcher(pkg);
        return m.matches() && !devicePackages.contains(pkg) ? "virtio_" + m.group(1) : CATCH_ALL;
    }

    /**
     * Every header outside the devices, sorted by file name. A header exists only when the specs
     * declare something for it: a run over one device alone writes no {@code virtio_ids.h} that
     * would shadow Linux's complete one.
     */
    public static List<Header> of(SpecModel model) {
        Set<String> devicePackages = model.devices().stream().map(DeviceModel::packageName).collect(Collectors.toSet());
        Map<String, Group> groups = new TreeMap<>();
        model.structs().forEach(s -> group(groups, model, devicePackages, s.name()).structs.add(s));
        model.enums().forEach(e -> group(groups, model, devicePackages, e.name()).enums.add(e));
        model.constants().forEach(k -> group(groups, model, devicePackages, k.name()).constants.add(k));

        Map<String, List<CMacro>> bits = new LinkedHashMap<>();
        for (FeatureModel f : TransportBits.of(model.transportFeatures())) {
            String macro = f.cName() != null ? f.cName() : "VIRTIO_F_" + f.name();
            String stem = macro.startsWith("VIRTIO_RING_F_") ? RING : CONFIG;
            List<CMacro> list = bits.computeIfAbsent(stem, k -> new ArrayList<>());
            list.add(new CMacro(macro, String.valueOf(f.bit()), f.doc() == null ? "" : f.doc().strip(), f.legacy()));
            for (String alias : f.aliases()) {
                list.add(new CMacro("VIRTIO_F_" + alias, macro, "Another name of " + macro + ".", f.legacy()));
            }
        }

        List<Header> out = new ArrayList<>();
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            String stem = e.getKey();
            Group g = e.getValue();
            CHeaderView c = CHeaderView.shared(g.structs, g.enums, g.constants, CDialect.LINUX, stem);
            List<CMacro> ids = stem.equals(IDS) ? deviceIds(model, g.enums) : List.of();
            List<CMacro> headerBits = stem.equals(CATCH_ALL) ? List.of() : bits.getOrDefault(stem, List.of());
            out.add(new Header(stem, c, headerBits, stem.toUpperCase(Locale.ROOT) + "_NO_LEGACY", ids,
                    EXTRAS.contains(stem) ? stem + ".ftl" : null));
        }
        return out;
    }

    /** Whether {@code virtio_types.h} belongs to the set: some Linux-named transport header needs it. */
    public static boolean needsTypes(List<Header> headers) {
        return headers.stream().anyMatch(h -> !h.stem().equals(CATCH_ALL));
    }

    private static Group group(Map<String, Group> groups, SpecModel model, Set<String> devicePackages, String name) {
        return groups.computeIfAbsent(headerOf(model.packageOf(name), devicePackages), k -> new Group());
    }

    private static List<CMacro> deviceIds(SpecModel model, List<EnumModel> idEnums) {
        Set<BigInteger> named = idEnums.stream().flatMap(e -> e.literals().stream()).map(EnumModel.Literal::value)
                .collect(Collectors.toSet());
        List<CMacro> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            if (d.id() >= 0 && !named.contains(BigInteger.valueOf(d.id()))) {
                out.add(new CMacro("VIRTIO_ID_" + d.name().toUpperCase(Locale.ROOT), String.valueOf(d.id()),
                        "The device ID of " + d.name() + ".", false));
            }
        }
        return out;
    }

    private static final class Group {
        final List<StructLayout> structs = new ArrayList<>();
        final List<EnumModel> enums = new ArrayList<>();
        final List<ConstantModel> constants = new ArrayList<>();
    }
}
