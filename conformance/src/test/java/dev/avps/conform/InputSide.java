package dev.avps.conform;

import dev.avps.devices.input.EvdevCodes;
import dev.avps.devices.input.InputDevice;
import dev.avps.runtime.DescriptorChain;
import dev.avps.runtime.VirtqueueException;
import dev.avps.runtime.device.VirtioDevice;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The input device's outside world for the conformance tests (a front end cannot type), and our
 * input broken one way each, for {@link BrokenDevicesTest}.
 */
final class InputSide {

    private InputSide() {
    }

    /** Where a typist's key updates go: EV_KEY then SYN_REPORT; false when the device dropped the update. */
    interface Keys {
        boolean key(int code, boolean down);
    }

    /**
     * Presses and releases KEY_A every 2 ms. An update the device dropped is typed again (the key
     * state only changes once an update is taken), so a device that drops whole updates keeps the
     * stream's press/release alternation; one that cuts updates shows it.
     */
    static ScheduledExecutorService typist(Keys keys) {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "typist");
            th.setDaemon(true);
            return th;
        });
        boolean[] down = {true};
        t.scheduleAtFixedRate(() -> {
            if (keys.key(EvdevCodes.KEY_A, down[0])) {
                down[0] = !down[0];
            }
        }, 2, 2, TimeUnit.MILLISECONDS);
        return t;
    }

    /**
     * Our input with its event queue replaced by the old per-event limit: at most 3 events wait,
     * and an event that does not fit is refused on its own. A key update whose report is refused
     * leaves its EV_KEY queued; the typist types the update again, so the stream shows that key
     * state twice in one update.
     */
    static final class CutsUpdates extends Backends.Forwarding implements Keys {
        private final ArrayDeque<long[]> events = new ArrayDeque<>();
        private volatile Runnable wakeup;

        CutsUpdates(InputDevice d) {
            super(d);
        }

        private synchronized boolean send(int type, int code, int value) {
            if (events.size() >= 3) {
                return false;
            }
            events.add(new long[] {type, code, value});
            return true;
        }

        @Override
        public boolean key(int code, boolean down) {
            boolean ok = send(EvdevCodes.EV_KEY, code, down ? 1 : 0) && send(EvdevCodes.EV_SYN, EvdevCodes.SYN_REPORT, 0);
            Runnable w = wakeup;
            if (w != null) {
                w.run();
            }
            return ok;
        }

        @Override
        public void queueStarted(int queue, Runnable w) {
            if (queue == InputDevice.Q_EVENTQ) {
                wakeup = w;
            }
            d.queueStarted(queue, w);
        }

        @Override
        public void queueStopped(int queue) {
            if (queue == InputDevice.Q_EVENTQ) {
                wakeup = null;
            }
            d.queueStopped(queue);
        }

        @Override
        public int handle(int queue, DescriptorChain request) throws VirtqueueException {
            if (queue != InputDevice.Q_EVENTQ) {
                return d.handle(queue, request);
            }
            if (request.writableBytes() < 8) {
                return 0;
            }
            long[] e;
            synchronized (this) {
                e = events.poll();
            }
            if (e == null) {
                return VirtioDevice.DEFER;
            }
            request.writeShortLE(0, (short) e[0]);
            request.writeShortLE(2, (short) e[1]);
            request.writeIntLE(4, (int) e[2]);
            return 8;
        }
    }

    /**
     * Our input ignoring a select it does not know: the window keeps the previous query's answer
     * instead of reading size 0.
     */
    static final class KeepsAnswerForUnknownSelect extends Backends.Forwarding {
        KeepsAnswerForUnknownSelect(VirtioDevice d) {
            super(d);
        }

        @Override
        public void writeConfig(int offset, byte[] src) {
            int select = offset == 0 && src.length > 0 ? src[0] & 0xff : -1;
            boolean known = select == 0x01 || select == 0x02 || select == 0x03 || select == 0x10 || select == 0x11
                    || select == 0x12;
            if (offset != 0 || known) {
                d.writeConfig(offset, src);
            }
        }
    }
}
