package dev.avps.dsl.tests;

import com.google.inject.Inject;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.formatter.FormatterTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The formatter turns a cramped spec into the canonical layout and leaves that layout alone. */
@ExtendWith(InjectionExtension.class)
@InjectWith(AvpsInjectorProvider.class)
class AvpsFormatterTest {

    @Inject
    FormatterTestHelper formatter;

    private static final String CANONICAL = """
            package virtio.x;
            import virtio.*;
            /** Doc. */
            device x {
            	id 42;
            	spec "1.4";
            	features {
            		bit 1 A requires VERSION_1 && !B;
            		bit 2 B alias C, D;
            	}
            	config cfg size 8 {
            		le32 n when A;
            		u8 data[4];
            		le32 flags {
            			bits 0..3 low;
            		}
            	}
            	queues {
            		queue q driver-to-device count n if A else 1;
            	}
            	request r on q where h.t in (1, 2) {
            		readable hdr h;
            		writable u8 status;
            	}
            }
            """;

    @Test
    void crampedInputIsLaidOutCanonically() {
        formatter.assertFormatted(r -> {
            r.setToBeFormatted("package virtio . x ;import virtio.*;\n/** Doc. */\ndevice x{id 42;spec \"1.4\";"
                    + "features{bit 1 A requires VERSION_1&&! B;bit 2 B alias C ,D;}"
                    + "config cfg size 8{le32 n when A;u8 data [ 4 ];le32 flags{bits 0 .. 3 low;}}"
                    + "queues{queue q driver-to-device count n if A else 1;}"
                    + "request r on q where h . t in ( 1 , 2 ){readable hdr h;writable u8 status;}}");
            r.setExpectation(CANONICAL);
        });
    }

    @Test
    void canonicalLayoutIsStable() {
        formatter.assertFormatted(r -> r.setToBeFormatted(CANONICAL));
    }

    @Test
    void inlineExpectationsReadAsOneStatement() {
        formatter.assertFormatted(r -> {
            r.setToBeFormatted("package virtio.x;\ndevice x{id 42;spec \"1.4\";config cfg{le16 n;le32 s;}"
                    + "requirement n_set device MUST section \"1\" \"x.\" expect config n>=1 ,config s<=n*( 2+1 )"
                    + " when ! VERSION_1 checked by c;}");
            r.setExpectation("""
                    package virtio.x;
                    device x {
                    	id 42;
                    	spec "1.4";
                    	config cfg {
                    		le16 n;
                    		le32 s;
                    	}
                    	requirement n_set device MUST section "1" "x." expect config n >= 1, config s <= n * (2 + 1) when !VERSION_1 checked by c;
                    }
                    """);
        });
    }

    @Test
    void aPlatformIsLaidOutLikeADevice() {
        formatter.assertFormatted(r -> {
            r.setToBeFormatted("package p;import virtio.*;platform car{version \"1\";status draft;transports pci ,mmio;"
                    + "device x MUST{MUST offer VERSION_1;SHOULD config n>=2;MUST queue size>=128;}device y MAY;"
                    + "requirement r MUST NOT \"x.\" checked by guest_hwrng;}");
            r.setExpectation("""
                    package p;
                    import virtio.*;
                    platform car {
                    	version "1";
                    	status draft;
                    	transports pci, mmio;
                    	device x MUST {
                    		MUST offer VERSION_1;
                    		SHOULD config n >= 2;
                    		MUST queue size >= 128;
                    	}
                    	device y MAY;
                    	requirement r MUST NOT "x." checked by guest_hwrng;
                    }
                    """);
        });
    }
}
