package dev.avps.devices.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The zone state machine and resource rules of VIRTIO 1.4 5.2.6, without any I/O. */
class ZoneTableTest {

    /** 10 zones of 64 sectors (the last one 40), zone 0 conventional, granularity 8 sectors. */
    static ZoneTable table(String more) {
        return new ZoneTable(9 * 64 + 40, ZonedOptions.parse("zone-sectors=64,conventional=1,granularity=4096,"
                + "max-append=16" + (more.isEmpty() ? "" : "," + more)));
    }

    static long start(int zone) {
        return zone * 64L;
    }

    @Test
    void theLayoutHasConventionalThenSequentialZonesAndAShorterLastOne() {
        ZoneTable t = table("");
        assertEquals(10, t.count());
        assertEquals(ZoneTable.CONV, t.zone(0).type);
        assertEquals(ZoneTable.NOT_WP, t.zone(0).state);
        assertEquals(ZoneTable.SWR, t.zone(1).type);
        assertEquals(ZoneTable.EMPTY, t.zone(1).state);
        assertEquals(40, t.zone(9).size);
        assertEquals(40, t.zone(9).cap);
        assertEquals(start(3), t.zone(3).wp);
        assertThrows(IllegalArgumentException.class, () -> new ZoneTable(64, ZonedOptions.parse("zone-sectors=64,conventional=2,max-append=8")));
    }

    @Test
    void writesGoAtTheWritePointerInWholeGranulesAndFillTheZone() {
        ZoneTable t = table("max-open=0,max-active=0");
        assertEquals(ZoneTable.UNALIGNED, t.beginWrite(start(1) + 8, 8), "ahead of the write pointer");
        assertEquals(ZoneTable.UNALIGNED, t.beginWrite(start(1), 4), "half a granule");
        assertEquals(ZoneTable.EMPTY, t.zone(1).state, "a refused write opens nothing");
        assertEquals(ZoneTable.OK, t.beginWrite(start(1), 8));
        assertEquals(ZoneTable.IOPEN, t.zone(1).state);
        t.wrote(start(1), 8);
        assertEquals(start(1) + 8, t.zone(1).wp);
        assertEquals(ZoneTable.UNALIGNED, t.beginWrite(start(1), 8), "behind the write pointer");
        assertEquals(ZoneTable.INVALID, t.beginWrite(start(1) + 8, 64), "past the zone's capacity");
        assertEquals(ZoneTable.OK, t.beginWrite(start(1) + 8, 56));
        t.wrote(start(1) + 8, 56);
        assertEquals(ZoneTable.FULL, t.zone(1).state, "reaching the capacity fills the zone");
        assertEquals(ZoneTable.INVALID, t.beginWrite(start(1) + 64 - 8, 8), "a full zone takes no write");
        assertEquals(ZoneTable.OK, t.beginWrite(5, 3), "the conventional zone takes any write");
        assertEquals(ZoneTable.INVALID, t.beginWrite(start(1) - 8, 16), "a conventional write may not run into a sequential zone");
    }

    @Test
    void aSmallerZoneCapacityEndsTheWritableRangeBeforeTheZoneEnds() {
        ZoneTable t = table("zone-capacity=48");
        assertEquals(48, t.zone(2).cap);
        assertEquals(ZoneTable.INVALID, t.beginWrite(start(2), 56));
        assertEquals(ZoneTable.OK, t.beginWrite(start(2), 48));
        t.wrote(start(2), 48);
        assertEquals(ZoneTable.FULL, t.zone(2).state);
    }

    @Test
    void theExplicitStatesFollowTheSpecsTransitions() {
        ZoneTable t = table("");
        long z = start(2);
        assertEquals(ZoneTable.OK, t.open(z));
        assertEquals(ZoneTable.EOPEN, t.zone(2).state);
        assertEquals(ZoneTable.OK, t.open(z), "opening an open zone again");
        assertEquals(ZoneTable.OK, t.close(z));
        assertEquals(ZoneTable.EMPTY, t.zone(2).state, "closing with nothing written empties the zone");
        assertEquals(ZoneTable.INVALID, t.close(z), "an empty zone has no closed state to go to");
        t.beginWrite(z, 8);
        t.wrote(z, 8);
        assertEquals(ZoneTable.OK, t.close(z));
        assertEquals(ZoneTable.CLOSED, t.zone(2).state);
        assertEquals(ZoneTable.OK, t.close(z), "closing a closed zone again");
        assertEquals(ZoneTable.OK, t.open(z));
        assertEquals(ZoneTable.EOPEN, t.zone(2).state);
        assertEquals(ZoneTable.OK, t.finish(z));
        assertEquals(ZoneTable.FULL, t.zone(2).state);
        assertEquals(z + 8, t.zone(2).written, "a finish leaves what follows the write pointer unwritten");
        assertEquals(ZoneTable.OK, t.finish(z), "finishing a full zone again");
        assertEquals(ZoneTable.INVALID, t.open(z));
        assertEquals(ZoneTable.INVALID, t.close(z));
        assertEquals(ZoneTable.FULL, t.zone(2).state, "refused requests leave the zone as it was");
        assertEquals(ZoneTable.OK, t.reset(z));
        assertEquals(ZoneTable.EMPTY, t.zone(2).state);
        assertEquals(z, t.zone(2).wp);
        assertEquals(ZoneTable.OK, t.reset(z), "resetting an empty zone");
        assertEquals(ZoneTable.INVALID, t.open(z + 8), "a sector inside a zone names no zone");
    }

    @Test
    void aConventionalZoneRefusesEveryZoneOperation() {
        ZoneTable t = table("");
        assertEquals(ZoneTable.INVALID, t.open(0));
        assertEquals(ZoneTable.INVALID, t.close(0));
        assertEquals(ZoneTable.INVALID, t.finish(0));
        assertEquals(ZoneTable.INVALID, t.reset(0));
        assertEquals(ZoneTable.NOT_WP, t.zone(0).state);
    }

    @Test
    void explicitOpensStopAtTheOpenLimitAndImplicitOnesCloseTheOldest() {
        ZoneTable t = table("max-open=2,max-active=4");
        assertEquals(ZoneTable.OK, t.open(start(1)));
        assertEquals(ZoneTable.OK, t.open(start(2)));
        assertEquals(ZoneTable.OPEN_RESOURCE, t.open(start(3)));
        assertEquals(ZoneTable.OPEN_RESOURCE, t.beginWrite(start(3), 8), "explicitly open zones are not closed for an implicit open");
        assertEquals(ZoneTable.EMPTY, t.zone(3).state);
        t.close(start(2));
        assertEquals(ZoneTable.OK, t.beginWrite(start(3), 8));
        t.wrote(start(3), 8);
        assertEquals(ZoneTable.OK, t.beginWrite(start(4), 8), "the oldest implicitly open zone makes room");
        t.wrote(start(4), 8);
        assertEquals(ZoneTable.CLOSED, t.zone(3).state);
        assertEquals(ZoneTable.IOPEN, t.zone(4).state);
        assertEquals(2, t.openCount());
        assertEquals(3, t.activeCount());
    }

    @Test
    void theActiveLimitCountsClosedZonesAndWinsWhenBothLimitsAreHit() {
        ZoneTable t = table("max-open=2,max-active=2");
        for (int z = 1; z <= 2; z++) {
            assertEquals(ZoneTable.OK, t.beginWrite(start(z), 8));
            t.wrote(start(z), 8);
            t.close(start(z));
        }
        assertEquals(ZoneTable.ACTIVE_RESOURCE, t.beginWrite(start(3), 8));
        assertEquals(ZoneTable.ACTIVE_RESOURCE, t.open(start(3)));
        assertEquals(ZoneTable.EMPTY, t.zone(3).state);
        assertEquals(ZoneTable.OK, t.open(start(1)), "a closed zone is already active");
        assertEquals(ZoneTable.OK, t.open(start(2)));
        assertEquals(ZoneTable.ACTIVE_RESOURCE, t.open(start(3)), "both limits exceeded: the active one is reported");
        assertEquals(ZoneTable.OK, t.resetAll());
        assertEquals(0, t.activeCount());
        assertEquals(ZoneTable.OK, t.open(start(3)));
    }

    @Test
    void appendsGoToTheWritePointerOfASequentialZoneStartWithinTheLimit() {
        ZoneTable t = table("");
        assertEquals(start(1), t.beginAppend(start(1), 8));
        t.wrote(start(1), 8);
        assertEquals(start(1) + 8, t.beginAppend(start(1), 16));
        t.wrote(start(1) + 8, 16);
        assertEquals(ZoneTable.INVALID, ZoneTable.statusOf(t.beginAppend(start(1), 24)), "more than max-append");
        assertEquals(ZoneTable.INVALID, ZoneTable.statusOf(t.beginAppend(start(1) + 24, 8)), "not a zone's start");
        assertEquals(ZoneTable.INVALID, ZoneTable.statusOf(t.beginAppend(0, 8)), "a conventional zone");
        assertEquals(ZoneTable.UNALIGNED, ZoneTable.statusOf(t.beginAppend(start(1), 4)), "half a granule");
        assertEquals(ZoneTable.UNSUPP, ZoneTable.statusOf(table("max-append=0").beginAppend(start(1), 8)),
                "appends are unsupported when max-append is 0");
    }

    @Test
    void readsMayNotSpanASequentialZoneAndSeeNothingPastTheWrittenData() {
        ZoneTable t = table("");
        assertEquals(ZoneTable.OK, t.checkRead(start(1) + 60, 4));
        assertEquals(ZoneTable.INVALID, t.checkRead(start(1) + 60, 8));
        assertEquals(ZoneTable.INVALID, t.checkRead(start(1) - 2, 4), "from the conventional zone into a sequential one");
        assertEquals(0, t.unwrittenFrom(start(1), 16), "an empty zone has nothing written");
        t.beginWrite(start(1), 8);
        t.wrote(start(1), 8);
        assertEquals(8, t.unwrittenFrom(start(1), 16));
        assertEquals(-1, t.unwrittenFrom(start(1), 8));
        assertEquals(-1, t.unwrittenFrom(0, 64), "a conventional zone is all data");
        t.reset(start(1));
        assertEquals(0, t.unwrittenFrom(start(1), 8), "a reset makes the old data unwritten");
    }

    @Test
    void optionsRefuseLayoutsTheRulesCannotServe() {
        assertThrows(IllegalArgumentException.class, () -> ZonedOptions.parse("granularity=1000"));
        assertThrows(IllegalArgumentException.class, () -> ZonedOptions.parse("zone-sectors=64,zone-capacity=65"));
        assertThrows(IllegalArgumentException.class, () -> ZonedOptions.parse("max-open=5,max-active=3"));
        assertThrows(IllegalArgumentException.class, () -> ZonedOptions.parse("colour=blue"));
        assertThrows(IllegalArgumentException.class, () -> ZonedOptions.parse("model=ha"));
        assertEquals(2048, ZonedOptions.parse("").zoneSectors());
        assertEquals(ZonedOptions.NONE, ZonedOptions.parse("model=none").model());
    }
}
