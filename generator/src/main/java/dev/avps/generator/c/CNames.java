package dev.avps.generator.c;

import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureExpr;
import dev.avps.model.FeatureModel;
import java.util.Locale;

/**
 * Macro names as Linux spells them: {@code VIRTIO_BLK_F_RO} from device c-name virtio_blk and
 * feature RO, unless the spec gives the feature its own c-name.
 */
public final class CNames {

    private final CDialect dialect;

    public CNames(CDialect dialect) {
        this.dialect = dialect;
    }

    /** The upper-case stem of a device's macros, e.g. VIRTIO_BLK. */
    public static String stem(DeviceModel d) {
        return d.cName().toUpperCase(Locale.ROOT);
    }

    public String featureMacro(DeviceModel d, FeatureModel f) {
        return dialect.macro(f.cName() != null ? f.cName() : stem(d) + "_F_" + f.name());
    }

    public String aliasMacro(DeviceModel d, String alias) {
        return dialect.macro(stem(d) + "_F_" + alias);
    }

    /**
     * Linux keeps device IDs in virtio_ids.h under names (VIRTIO_ID_BLOCK) that do not follow the
     * device name, and a second definition there would clash; ours lives in the device's own
     * header under a name Linux does not use.
     */
    public String deviceIdMacro(DeviceModel d) {
        return dialect.macro(stem(d) + "_DEVICE_ID");
    }

    /**
     * Linux's own guard for the Linux flavour, so that including Linux's header and ours in one
     * unit declares everything once; a prefixed guard for portable C, which may sit beside it.
     */
    public String includeGuard(String fileStem) {
        String stem = fileStem.toUpperCase(Locale.ROOT);
        return dialect.linux() ? "_LINUX_" + stem + "_H" : dialect.macro(stem) + "_H";
    }

    /**
     * A feature condition with macro names, for comments: device bits by their macro, transport
     * bits as VIRTIO_F_NAME (the model does not carry the transport bits' own c-names).
     */
    public String condition(DeviceModel d, FeatureExpr e) {
        if (e == null) {
            return "";
        }
        if (e instanceof FeatureExpr.Ref r) {
            if (r.owner().equals(d.name())) {
                return d.feature(r.name()).map(f -> featureMacro(d, f))
                        .orElse(dialect.macro(stem(d) + "_F_" + r.name()));
            }
            return dialect.macro("VIRTIO_F_" + r.name());
        } else if (e instanceof FeatureExpr.And a) {
            return wrapOr(d, a.left()) + " && " + wrapOr(d, a.right());
        } else if (e instanceof FeatureExpr.Or o) {
            return condition(d, o.left()) + " || " + condition(d, o.right());
        }
        FeatureExpr inner = ((FeatureExpr.Not) e).operand();
        return "!" + (inner instanceof FeatureExpr.Ref ? condition(d, inner) : "(" + condition(d, inner) + ")");
    }

    private String wrapOr(DeviceModel d, FeatureExpr e) {
        return e instanceof FeatureExpr.Or ? "(" + condition(d, e) + ")" : condition(d, e);
    }

    /** The guard around a shared struct's definition, the same in every header that carries it. */
    public String sharedStructGuard(String structName) {
        String stem = "SHARED_STRUCT_" + structName.toUpperCase(Locale.ROOT);
        return dialect.linux() ? "AVPS_" + stem : dialect.macro(stem);
    }

    /** A macro for a named bit range of a field, e.g. VIRTIO_BLK_DISCARD_WRITE_ZEROES_FLAGS_UNMAP. */
    public String bitMacro(String structCName, String fieldCName, String bitName) {
        return dialect.macro((structCName + "_" + fieldCName + "_" + bitName).toUpperCase(Locale.ROOT));
    }
}
