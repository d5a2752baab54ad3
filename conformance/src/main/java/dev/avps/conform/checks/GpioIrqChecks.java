package dev.avps.conform.checks;

import dev.avps.conform.Check;
import dev.avps.conform.CheckContext;
import dev.avps.conform.CheckFailure;
import dev.avps.conform.CheckFamily;
import dev.avps.conform.Exchange;
import dev.avps.conform.Inapplicable;
import dev.avps.model.DeviceModel;
import dev.avps.runtime.Completion;
import dev.avps.vhostuser.driver.FrontEndException;
import java.util.List;

/**
 * virtio-gpio interrupts (VIRTIO 1.4 5.18.7), with VIRTIO_GPIO_F_IRQ. A front end cannot change
 * a line's input: only the device's side (the pin's outside world) can. These checks arm line 0
 * as an input and wait for an interrupt; one that never comes leaves silence unjudged (not
 * checkable), so a device whose inputs stay still cannot pass by saying nothing.
 */
public final class GpioIrqChecks implements CheckFamily {
    /** How long a disabled line is watched for an event it must not send. */
    static final long QUIET_MILLIS = 400;
    /** Tries before an interrupt racing the disabling every time is given up on. */
    static final int RACE_TRIES = 3;

    @Override
    public boolean appliesTo(DeviceModel device) {
        return device.name().equals("gpio");
    }

    @Override
    public List<Check> checks(DeviceModel device) {
        return List.of(
                new Check("gpio_irq_silent_until_armed", "Line 0 as input, unmasked (an eventq buffer) with its interrupt"
                        + " disabled: no VALID event (INVALID is fine) while watched; then enabled (EDGE_BOTH) an event does come"
                        + " (else not checkable: the input never changed).", GpioIrqChecks::silentUntilArmed),
                new Check("gpio_irq_none_returns_buffer", "Line 0 enabled (EDGE_RISING) and unmasked, then set to trigger NONE:"
                        + " its eventq buffer comes back with VIRTIO_GPIO_IRQ_STATUS_INVALID.", GpioIrqChecks::noneReturns));
    }

    private static GpioLines armInput(CheckContext ctx) throws Exception {
        if (!ctx.offers("IRQ")) {
            throw Inapplicable.skip("IRQ is not offered: no eventq");
        }
        GpioLines g = new GpioLines(ctx);
        g.ok("SET_DIRECTION", 0, g.direction("IN"));
        return g;
    }

    /** The next eventq buffer back within {@code millis}, or null when none comes. */
    private static Exchange.Result next(GpioLines g, Exchange e, long millis) throws FrontEndException {
        try {
            Completion c = g.s.awaitUsed(GpioLines.EVENTQ, millis);
            return e.collect(c.length());
        } catch (FrontEndException x) {
            if (x.reason() == FrontEndException.Reason.NO_COMPLETION) {
                return null;
            }
            throw x;
        }
    }

    private static byte irqStatus(GpioLines g, Exchange.Result r, String when) throws CheckFailure {
        byte st = r.written()[0];
        CheckFailure.require(st == g.irqStatus("VALID") || st == g.irqStatus("INVALID"), when + ": the eventq buffer came back"
                + " with status " + (st & 0xff) + ", neither VALID nor INVALID");
        return st;
    }

    private static void silentUntilArmed(CheckContext ctx) throws Exception {
        GpioLines g = armInput(ctx);
        g.ok("IRQ_TYPE", 0, g.trigger("NONE"));
        Exchange e = g.irq(0);
        e.submit(1);
        Exchange.Result r = next(g, e, QUIET_MILLIS);
        boolean waiting = r == null;
        if (r != null) {
            CheckFailure.require(irqStatus(g, r, "interrupt disabled") == g.irqStatus("INVALID"),
                    "line 0 sent a VALID interrupt event while its interrupt was disabled");
        }
        g.ok("IRQ_TYPE", 0, g.trigger("EDGE_BOTH"));
        for (int tries = 0; tries < 2; tries++) {
            if (!waiting) {
                e = g.irq(0);
                e.submit(2);
            }
            r = next(g, e, g.s.requestMillis());
            if (r == null) {
                g.ok("IRQ_TYPE", 0, g.trigger("NONE"));
                throw Inapplicable.notCheckable("no interrupt came on line 0 within " + g.s.requestMillis() + " ms of"
                        + " enabling and unmasking it: its input did not change, so the silence before proves nothing");
            }
            if (irqStatus(g, r, "interrupt enabled") == g.irqStatus("VALID")) {
                g.ok("IRQ_TYPE", 0, g.trigger("NONE"));
                ctx.note((waiting ? "the buffer was held while disabled" : "the buffer came back INVALID while disabled")
                        + "; an event came once enabled");
                return;
            }
            // A buffer unmasked before the enable may come back INVALID late: unmask again.
            waiting = false;
        }
        throw new CheckFailure("line 0's eventq buffer came back INVALID twice with its interrupt enabled");
    }

    private static void noneReturns(CheckContext ctx) throws Exception {
        GpioLines g = armInput(ctx);
        for (int tries = 0; tries < RACE_TRIES; tries++) {
            g.ok("IRQ_TYPE", 0, g.trigger("EDGE_RISING"));
            Exchange e = g.irq(0);
            e.submit(tries);
            g.ok("IRQ_TYPE", 0, g.trigger("NONE"));
            Exchange.Result r = next(g, e, g.s.requestMillis());
            CheckFailure.require(r != null, "line 0's eventq buffer did not come back within " + g.s.requestMillis()
                    + " ms of setting its trigger to NONE");
            if (irqStatus(g, r, "trigger set to NONE") == g.irqStatus("INVALID")) {
                return;
            }
            // VALID: a rising edge came between the unmask and the disabling; try again.
        }
        throw Inapplicable.notCheckable("an interrupt came before the disabling " + RACE_TRIES + " times in a row");
    }
}
