package dev.avps.devices.blk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a zoned blk lays out and limits its zones (VIRTIO 1.4 5.2.4, the {@code zoned} block).
 * {@code model} is "hm" (host-managed: sequential-write-required zones after the conventional
 * ones) or "none" (a drive-managed disk that offers ZONED but reports no zones, so a driver
 * treats it as a plain disk). Sizes are in 512-byte sectors except {@code writeGranularity},
 * which the spec gives in bytes.
 *
 * @param zoneSectors       size of every zone but possibly the last
 * @param zoneCapacity      writable sectors of each sequential zone (z_cap), at most zoneSectors
 * @param conventionalZones how many zones at the start of the disk are conventional
 * @param maxOpenZones      open zones allowed at once, 0 for no limit
 * @param maxActiveZones    active (open or closed) zones allowed at once, 0 for no limit
 * @param maxAppendSectors  the largest zone append taken, 0 when appends are not supported
 * @param writeGranularity  bytes that the offset and size of a sequential write must be multiples of
 */
public record ZonedOptions(String model, long zoneSectors, long zoneCapacity, int conventionalZones, int maxOpenZones,
        int maxActiveZones, int maxAppendSectors, int writeGranularity) {

    public static final String HOST_MANAGED = "hm";
    public static final String NONE = "none";

    public ZonedOptions {
        if (!model.equals(HOST_MANAGED) && !model.equals(NONE)) {
            throw new IllegalArgumentException("model is hm or none, not " + model);
        }
        if (zoneSectors <= 0 || zoneCapacity <= 0 || zoneCapacity > zoneSectors) {
            throw new IllegalArgumentException("zone-sectors must be positive and zone-capacity within 1.."
                    + zoneSectors + " (got " + zoneSectors + ", " + zoneCapacity + ")");
        }
        if (conventionalZones < 0 || maxOpenZones < 0 || maxActiveZones < 0 || maxAppendSectors < 0) {
            throw new IllegalArgumentException("zone counts and limits cannot be negative");
        }
        if (maxActiveZones != 0 && maxOpenZones > maxActiveZones) {
            throw new IllegalArgumentException("max-open " + maxOpenZones + " exceeds max-active " + maxActiveZones
                    + ": an open zone is also active");
        }
        // Every sequential write must be able to start at a zone's first sector and fill it exactly.
        if (writeGranularity < 512 || writeGranularity % 512 != 0 || (zoneSectors * 512) % writeGranularity != 0
                || (zoneCapacity * 512) % writeGranularity != 0 || (maxAppendSectors * 512L) % writeGranularity != 0) {
            throw new IllegalArgumentException("granularity " + writeGranularity + " must be a multiple of 512 that"
                    + " divides the zone size, the zone capacity and max-append in bytes");
        }
        if (maxAppendSectors > zoneCapacity) {
            throw new IllegalArgumentException("max-append " + maxAppendSectors + " exceeds the zone capacity "
                    + zoneCapacity);
        }
    }

    /** A host-managed layout for tests and the command line's defaults. */
    public static ZonedOptions hostManaged(long zoneSectors, int conventionalZones) {
        return parse("zone-sectors=" + zoneSectors + ",conventional=" + conventionalZones);
    }

    public boolean hostManaged() {
        return model.equals(HOST_MANAGED);
    }

    /**
     * Reads {@code key=value,...}: model (hm), zone-sectors (2048), zone-capacity (zone-sectors),
     * conventional (1), max-open (4), max-active (6), max-append (128), granularity (4096). Keys
     * left out keep those defaults.
     */
    public static ZonedOptions parse(String spec) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("model", HOST_MANAGED);
        v.put("zone-sectors", "2048");
        v.put("conventional", "1");
        v.put("max-open", "4");
        v.put("max-active", "6");
        v.put("max-append", "128");
        v.put("granularity", "4096");
        if (!spec.isBlank()) {
            for (String part : spec.split(",")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                if (eq < 0 || (!v.containsKey(key) && !key.equals("zone-capacity"))) {
                    throw new IllegalArgumentException("'" + part + "' is not one of model=, zone-sectors=, zone-capacity=,"
                            + " conventional=, max-open=, max-active=, max-append=, granularity=");
                }
                v.put(key, part.substring(eq + 1).trim());
            }
        }
        try {
            long zs = Long.parseLong(v.get("zone-sectors"));
            long cap = v.containsKey("zone-capacity") ? Long.parseLong(v.get("zone-capacity")) : zs;
            return new ZonedOptions(v.get("model"), zs, cap, Integer.parseInt(v.get("conventional")),
                    Integer.parseInt(v.get("max-open")), Integer.parseInt(v.get("max-active")),
                    Integer.parseInt(v.get("max-append")), Integer.parseInt(v.get("granularity")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in '" + spec + "': " + e.getMessage());
        }
    }
}
