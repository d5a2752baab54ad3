package dev.avps.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code avps qemu-args} on the catalog: the numbers follow the model's queue rule and config
 * layout for the features given (checked against VIRTIO 1.4's queue lists: console 5.3.2, balloon
 * 5.5.2, net 5.1.2, blk 5.2.2).
 */
class QemuArgsCommandTest {
    static final String CATALOG = "../spec-models/src/main/avps";

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "qemu-args";
        all[1] = CATALOG;
        System.arraycopy(args, 0, all, 2, args.length);
        int status = AvpsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(status, out.toString().trim(), err.toString().trim());
    }

    @Test
    void consoleGoesThroughTheGenericFrontEndWithTheModelsNumbers() {
        // Without MULTIPORT: port 0's two queues; the config is cols, rows (SIZE) ... none of them.
        Run plain = run("--device", "console", "--socket", "/tmp/con.sock");
        assertEquals(0, plain.status(), plain.err());
        assertEquals("-chardev socket,id=console0,path=/tmp/con.sock -device vhost-user-test-device-pci,chardev=console0,"
                + "virtio-id=3,num_vqs=2,vq_size=256,config_size=0", plain.out());
        // MULTIPORT with 4 ports: port 0's pair, the control pair, three more pairs; config up to max_nr_ports.
        Run multi = run("--device", "console", "--features", "SIZE,MULTIPORT", "--config", "max_nr_ports=4");
        assertEquals(0, multi.status(), multi.err());
        assertTrue(multi.out().endsWith("virtio-id=3,num_vqs=10,vq_size=256,config_size=8"), multi.out());
    }

    @Test
    void aRuleThatNeedsAConfigValueSaysWhich() {
        Run r = run("--device", "console", "--features", "MULTIPORT");
        assertEquals(AvpsCli.USAGE, r.status());
        assertTrue(r.err().contains("max_nr_ports") && r.err().contains("--config max_nr_ports=N"), r.err());
    }

    @Test
    void balloonCountsOnlyTheQueuesItsFeaturesBringIn() {
        assertTrue(run("--device", "balloon").out().contains("virtio-id=5,num_vqs=2,"));
        Run stats = run("--device", "balloon", "--features", "STATS_VQ,FREE_PAGE_HINT");
        assertTrue(stats.out().contains("virtio-id=5,num_vqs=4,"), stats.out());
    }

    @Test
    void dedicatedFrontEndsAndTheirQemuRelease() {
        assertEquals("-chardev socket,id=gpio0,path=gpio.sock -device vhost-user-gpio-pci,chardev=gpio0",
                run("--device", "gpio", "--qemu", "7.2").out());
        assertEquals("-chardev socket,id=blk0,path=blk.sock -device vhost-user-blk-pci,chardev=blk0,num-queues=4",
                run("--device", "blk", "--features", "MQ", "--config", "num_queues=4").out());
        // rtc has a front end of its own only from 11.1; 7.2 has neither it nor the generic one.
        assertTrue(run("--device", "rtc").out().contains("-device vhost-user-rtc-pci,chardev=rtc0"));
        Run old = run("--device", "rtc", "--qemu", "7.2");
        assertEquals(AvpsCli.USAGE, old.status());
        assertTrue(old.err().contains("QEMU 7.2 has no vhost-user front end for rtc"), old.err());
        assertTrue(run("--device", "gpio", "--generic").out().contains("vhost-user-test-device-pci,chardev=gpio0,virtio-id=41,"));
    }

    @Test
    void netIsANetdevWithItsQueuePairs() {
        assertEquals("-chardev socket,id=net0,path=net.sock -netdev vhost-user,id=net0-net,chardev=net0"
                + " -device virtio-net-pci,netdev=net0-net", run("--device", "net").out());
        Run mq = run("--device", "net", "--features", "MQ,CTRL_VQ", "--config", "max_virtqueue_pairs=2", "--memory", "512M");
        assertEquals("-object memory-backend-memfd,id=avps-mem,size=512M,share=on -machine memory-backend=avps-mem"
                + " -chardev socket,id=net0,path=net.sock -netdev vhost-user,id=net0-net,chardev=net0,queues=2"
                + " -device virtio-net-pci,netdev=net0-net,mq=on,vectors=6", mq.out());
    }

    @Test
    void badNamesAreRefusedWithWhatExists() {
        Run feature = run("--device", "gpio", "--features", "NOPE");
        assertEquals(AvpsCli.USAGE, feature.status());
        assertTrue(feature.err().contains("gpio has no feature NOPE; its features: IRQ"), feature.err());
        Run dev = run("--device", "nodev");
        assertEquals(AvpsCli.USAGE, dev.status());
        assertTrue(dev.err().contains("no device 'nodev'") && dev.err().contains("console"), dev.err());
        Run fs = run("--device", "fs");
        assertTrue(fs.err().contains("add --prop tag=NAME"), fs.err());
        assertEquals(AvpsCli.USAGE, run("--device", "blk", "--config", "nothing=1").status());
    }
}
